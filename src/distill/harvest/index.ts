// Harvest: collect a teacher's answers into a resumable JSONL data set.
export { harvest, type HarvestOptions, type HarvestSummary, type HarvestFailure } from "./harvest.js";
export { loadPromptFile, parsePromptText, promptHash, withUniqueIds, type Prompt } from "./prompts.js";
export { withRetries, retryAfterMs, parseRetryAfter, isRetryableError, waitReason, defaultMaxWaitMs, type RetryOptions, type RetryInfo } from "./retry.js";
export { type FailedHarvestRow } from "./prompt-failure.js";
export { apiTopLogprobsLimit, harvestParams, type ParamOptions } from "./params.js";
export { runPool } from "./pool.js";
export { parsePriceTable, costOf, type PriceTable } from "./price.js";
export { createProgressReporter, progressBar, progressLine, type HarvestProgress, type ProgressMode, type ProgressReporter } from "./progress.js";
export { rowFromResult, rowId } from "./row-from-result.js";
export { harvestBatch, batchStatePath, type BatchHarvestOptions, type BatchHarvestSummary } from "./batch-harvest.js";
