// The files leaf: safe output files and readable input errors for every room (imports nothing of the project but the errors leaf).
export { FilesError, type FilesErrorCode } from "./errors.js";
export { assertOutputFree, writeOutputFile, writeOutputFileFrom, type OutputData, type OutputOptions } from "./output-file.js";
export { readInputText } from "./input-file.js";
export { JsonlAppender, jsonlText, type AppendOptions } from "./jsonl-append.js";
