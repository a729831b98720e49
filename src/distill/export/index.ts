// Export: hand a data set to OpenAI fine-tuning, or a model to llama.cpp and other GGUF tools.
export { toOpenAIFineTuning, toOpenAILine, openAIFineTuningLineSchema, openAIMinimumExamples, type OpenAIFineTuningLine, type OpenAIExport, type OpenAIExportOptions } from "./openai-jsonl.js";
export { readExportRows, exportInputSchema, type ExportRow } from "./data-rows.js";
export { exportModelGguf, modelFilePath, type GgufExportOptions, type GgufExportSummary, type GgufExportType } from "./gguf.js";
