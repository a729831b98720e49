// GGUF reading, writing and validation (ggml docs/gguf.md).
export * from "./constants.js";
export * from "./metadata.js";
export { parseGgufHeader, type GgufHeader, type GgufTensorInfo } from "./parse-header.js";
export { parseGguf, readGgufFile, validateGgufFile, type GgufFile, type ValidatedGguf } from "./read.js";
export { encodeGguf, writeGgufFile, type GgufContents, type GgufRawTensorInput, type GgufTensorInput } from "./write.js";
export { checkArchitecture, checkLlamaHeader, expectedTensorShapes, llamaShapes, type LlamaShapes } from "./llama-checks.js";
export { llamaHyperParameters, type LlamaHyperParameters } from "./llama-hparams.js";
export { floatToHalf, halfToFloat, bfloat16ToFloat } from "./half.js";
export { quantizeQ8_0, Q8_0_BLOCK_BYTES, Q8_0_BLOCK_SIZE } from "./quantize.js";
