// The defend room's public API: serving-time defences. Antidistillation sampling (a logits processor
// for white-box backends, from files `defend prepare` writes) and candidate selection, a watermark
// for black-box upstreams. Imports models, engine, watermark and stats.
export { DefendError, DEFEND_ERROR_CODES, type DefendErrorCode } from "./errors.js";
export { AntidistillSampler, scaledDifference, scaledLogitDifference, type AntidistillOptions } from "./antidistill-processor.js";
export {
  loadDefence, checkDefenceFits, manifestSchema, DEFAULT_EPSILON, MANIFEST_FILE, PROXY_FILE, GRADIENT_FILE,
  type DefenceManifest, type LoadedDefence,
} from "./defence-directory.js";
export { prepareDefence, DEFAULT_LAMBDA, type PrepareOptions } from "./prepare.js";
export { proxyGradient, answerTokens, type HeldOutAnswer, type AnswerTokens, type GradientResult } from "./proxy-gradient.js";
export { GRADIENT_MAGIC, GRADIENT_VERSION, readGradientFile, writeGradientFile, encodeGradientFile, decodeGradientFile, type GradientHeader } from "./gradient-file.js";
export { tokenizerFingerprint } from "./tokenizer-fingerprint.js";
export {
  chooseCandidate, selectAnswer, selectWhole,
  type Candidate, type CandidateSource, type Choice, type SelectedChunk, type SelectionOptions, type SelectionSummary,
} from "./candidate-selection.js";
export { createSelectionModel, type SelectionModelOptions } from "./selection-model.js";
