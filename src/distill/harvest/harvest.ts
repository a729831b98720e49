// harvest: ask a teacher every prompt and append one row per answer to a JSONL file.
// Requests run in a worker pool with whole-request retries; each prompt gets seed + its index, so a
// re-run asks the same questions with the same seeds. A run resumes from what is on disk: prompts
// whose id is already there are skipped and a partial last line (a crash mid-write) is cut off.
import { ModelError } from "../../models/errors.js";
import type { ChatModel } from "../../models/spec.js";
import { DistillError } from "../data/errors.js";
import { JsonlAppender } from "../data/jsonl-append.js";
import { readJsonl } from "../data/jsonl-read.js";
import { harvestRowSchema } from "../data/row.js";
import { describeParams, harvestParams, sameSettings, type ParamOptions } from "./params.js";
import { runPool } from "./pool.js";
import { costOf, type PriceTable } from "./price.js";
import type { HarvestProgress } from "./progress.js";
import type { Prompt } from "./prompts.js";
import { withRetries, type RetryOptions } from "./retry.js";
import { rowFromResult } from "./row-from-result.js";

export interface HarvestOptions extends ParamOptions {
  model: ChatModel;
  /** The teacher's reference as the user gave it (recorded in every row). */
  teacher: string;
  prompts: Prompt[];
  out: string;
  concurrency?: number;
  retry?: RetryOptions;
  price?: PriceTable;
  fsyncEveryRows?: number;
  onProgress?: (progress: HarvestProgress) => void;
  onNote?: (message: string) => void;
  signal?: AbortSignal;
  now?: () => number;
}

export interface HarvestFailure {
  prompt_id: string;
  code: string;
  message: string;
}

export interface HarvestSummary {
  teacher: string;
  out: string;
  prompts: number;
  /** Rows already on disk for these prompts at the start. */
  resumed: number;
  /** Rows written by this run. */
  rows: number;
  failed: HarvestFailure[];
  retries: number;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  wall_seconds: number;
  tokens_per_second: number;
  rows_per_second: number;
  cost_usd: number | null;
  truncated_line_removed: boolean;
}

export async function harvest(options: HarvestOptions): Promise<HarvestSummary> {
  const now = options.now ?? Date.now;
  const note = options.onNote ?? (() => undefined);
  const started = now();
  const params = harvestParams(options, options.model, note);
  const existing = await readJsonl(options.out, harvestRowSchema, { allowMissing: true });
  if (existing.truncatedTail) note(`${existing.truncatedTail.message} and cut off before appending`);
  const done = new Set(existing.rows.map((row) => row.prompt_id));
  const otherTeachers = new Set(existing.rows.map((row) => row.teacher).filter((teacher) => teacher !== options.teacher));
  const changed = existing.rows.find((row) => done.has(row.prompt_id) && !sameSettings(row.params, params));
  if (changed) note(`${options.out} holds rows made with other settings (${describeParams(changed.params)}; now ${describeParams(params)}); they are kept and their prompts are not asked again — use another --out for a fresh data set`);
  if (otherTeachers.size) note(`${options.out} already holds rows from another teacher (${[...otherTeachers].join(", ")}); new rows are appended after them`);
  const todo = options.prompts.map((prompt, index) => ({ prompt, index })).filter(({ prompt }) => !done.has(prompt.id));
  const resumed = options.prompts.length - todo.length;
  if (resumed) note(`resuming: ${resumed} of ${options.prompts.length} prompts are already in ${options.out}`);

  const appender = JsonlAppender.open(options.out, {
    validBytes: existing.validBytes,
    missingFinalNewline: existing.missingFinalNewline,
    fsyncEveryRows: options.fsyncEveryRows,
  });
  const totals = { prompt: 0, completion: 0, total: 0, retries: 0 };
  const failed: HarvestFailure[] = [];
  const progress = (): HarvestProgress => ({
    done: resumed + appender.rowsWritten,
    total: options.prompts.length,
    resumed,
    promptTokens: totals.prompt,
    completionTokens: totals.completion,
    elapsedMs: now() - started,
    costUsd: options.price ? costOf(options.price, totals.prompt, totals.completion) : null,
  });
  try {
    options.onProgress?.(progress());
    await runPool(todo, options.concurrency ?? 4, async ({ prompt, index }) => {
      // Models that ignore the signal still stop here: no new request once interrupted.
      if (options.signal?.aborted) throw options.signal.reason ?? new Error("interrupted");
      const rowParams = { ...params, seed: params.seed + index };
      let outcome;
      try {
        outcome = await withRetries(
          () =>
            options.model.generate({
              messages: prompt.messages,
              temperature: rowParams.temperature,
              topP: rowParams.top_p,
              maxTokens: rowParams.max_tokens,
              seed: rowParams.seed,
              topLogprobs: rowParams.top_logprobs || undefined,
              signal: options.signal,
            }),
          { ...options.retry, seed: rowParams.seed, onRetry: (info) => { totals.retries++; options.retry?.onRetry?.(info); } },
          options.signal,
        );
      } catch (error) {
        if (isPromptSpecific(error)) {
          failed.push({ prompt_id: prompt.id, code: (error as ModelError).code, message: (error as Error).message });
          note(`prompt ${prompt.id} skipped: ${(error as Error).message}`);
          return;
        }
        throw error;
      }
      const row = rowFromResult(options.teacher, prompt, rowParams, outcome.value, new Date(now()));
      appender.append(row);
      totals.prompt += row.usage.prompt_tokens;
      totals.completion += row.usage.completion_tokens;
      totals.total += row.usage.total_tokens;
      options.onProgress?.(progress());
    });
  } catch (error) {
    const written = appender.rowsWritten;
    const reason = error instanceof Error ? error.message : String(error);
    throw new DistillError(
      "HARVEST_REQUEST_FAILED",
      `harvest stopped after ${written} new rows (${resumed + written} of ${options.prompts.length} in ${options.out}): ${reason}; every finished row is saved, so run the same command again to resume`,
      { cause: error },
    );
  } finally {
    appender.close();
  }
  const elapsedMs = now() - started;
  return {
    teacher: options.teacher,
    out: options.out,
    prompts: options.prompts.length,
    resumed,
    rows: appender.rowsWritten,
    failed,
    retries: totals.retries,
    usage: { prompt_tokens: totals.prompt, completion_tokens: totals.completion, total_tokens: totals.total },
    wall_seconds: elapsedMs / 1000,
    tokens_per_second: elapsedMs > 0 ? (1000 * totals.completion) / elapsedMs : 0,
    rows_per_second: elapsedMs > 0 ? (1000 * appender.rowsWritten) / elapsedMs : 0,
    cost_usd: options.price ? costOf(options.price, totals.prompt, totals.completion) : null,
    truncated_line_removed: existing.truncatedTail !== null,
  };
}

/** A request the server rejects as such (too long, invalid) fails only that prompt, not the run. */
function isPromptSpecific(error: unknown): boolean {
  if (!ModelError.isInstance(error) || error.isRetryable) return false;
  return error.statusCode === 400 || error.statusCode === 413 || error.statusCode === 422;
}
