// The engine's public API: the Llama-architecture model, its training loop, tokenizer, sampling and
// GGUF files. Imports nothing of the project outside src/engine/.
export { EngineError, type EngineErrorCode } from "./errors.js";
export { modelSizes, modelSize, checkConfig, headDim, type LlamaConfig, type ModelSize } from "./model/config.js";
export { LlamaModel } from "./model/llama-model.js";
export { InferenceSession } from "./model/inference.js";
export { loadGgufModel, type LoadedModel } from "./model/load.js";
export { exportGguf, modelFromGguf, type ExportType, type ExportOptions } from "./model/gguf-mapping.js";
export { initializeParameters, parameterCount, type ModelTensors } from "./model/parameters.js";
export { nextTokenDistributions } from "./model/distributions.js";
export { trainModel, type LossSpec, type TrainOptions, type TrainResult, type StepReport } from "./train/trainer.js";
export { packExamples, type PackedData, type PackLayout, type TrainingExample } from "./train/training-data.js";
export { logSoftmaxRow } from "./losses/log-softmax.js";
export { trainFromCorpus, type TrainFromCorpusOptions, type TrainFromCorpusResult } from "./train/train-from-corpus.js";
export { sampleToken, argmax, type SampleOptions } from "./sampling/sampler.js";
export type { LogitsProcessor } from "./sampling/logits-processor.js";
export { kernelName, setKernelThreads, useKernels, type KernelName } from "./kernels/index.js";
export * as gguf from "./gguf/index.js";
export * as tokenizer from "./tokenizer/index.js";
