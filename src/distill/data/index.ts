// The data-set row schema and JSONL reading/writing shared by harvest, curate, export and train.
export { DistillError, type DistillErrorCode } from "./errors.js";
export * from "./row.js";
export { parseJsonl, readJsonl, type JsonlReadResult, type TruncatedTail } from "./jsonl-read.js";
export { JsonlAppender, jsonlText, type AppendOptions } from "../../files/jsonl-append.js";
export { chatLineSchema, chatLineMessageSchema, type ChatLine } from "./chat-line.js";
export { chatLineToTrainingRow, readTrainingRows, trainingLineSchema, type TrainingData, type TrainingRow } from "./training-rows.js";
