// The watermark room's public API: keys, key files, schemes with processors and detectors, and
// radioactivity scoring. Imports only the stats room.
export { WatermarkError, type WatermarkErrorCode } from "./errors.js";
export type { LogitsProcessor, TextEncoder, NextDistributions } from "./logits-processor.js";
export type {
  SchemeName,
  KgwHashing,
  KgwParams,
  GumbelParams,
  SynthIdParams,
  SchemeParams,
  ParamsByScheme,
  DetectionResult,
  TestOptions,
} from "./types.js";
export { DEFAULT_PARAMS, SCHEMES, normalizeParams, isScheme } from "./params.js";
export { WatermarkKey, generateKey, type RandomBytes } from "./key.js";
export { writeKeyFile, readKeyFile, serializeKey, parseKey, KEY_FILE_MAGIC, KEY_FILE_VERSION } from "./key-file.js";
export { createWatermark, type Watermark, type DetectOptions, type TextDetectOptions } from "./create.js";
export { WatermarkTest } from "./detector.js";
export {
  radioactivityClosedModel,
  radioactivityOpenModel,
  argmax,
  type ClosedModelOptions,
  type OpenModelOptions,
} from "./radioactivity.js";
export { halfSipHash, prf2 } from "./half-siphash.js";
