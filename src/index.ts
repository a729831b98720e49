// Pedigree's public API. Each room is also a sub-path export (`pedigree/models`, `pedigree/stats`, …)
// for callers who want only one part; this entry re-exports the rooms most programs start from.
export * from "./models/index.js";
export * as engine from "./engine/index.js";
export * as stats from "./stats/index.js";
export * as watermark from "./watermark/index.js";
export * as distill from "./distill/index.js";
export * as gateway from "./gateway/index.js";
export * as corpus from "./corpus/index.js";
export * as audit from "./audit/index.js";
export * as monitor from "./monitor/index.js";
export * as defend from "./defend/index.js";
export * as random from "./random/index.js";
export { FilesError, assertOutputFree, readInputText, writeOutputFile, type FilesErrorCode, type OutputData, type OutputOptions } from "./files/index.js";
