// The models room's public API: the model spec, model references and the adapters behind them.
export type {
  ChatDelta, ChatMessage, ChatModel, ChatRequest, ChatResult, FinishReason, Role, TokenLogprob, TokenModel, Tokenizer, TopLogprob, Usage,
} from "./spec.js";
export { isTokenModel } from "./spec.js";
export { ModelError, isRetryableStatus, type ModelErrorCode } from "./errors.js";
export { parseModelReference, type ModelReference } from "./reference.js";
export { resolveModel, type ResolveOptions } from "./resolve.js";
export { builtinModelPath, existingBuiltinModelPath, listBuiltinModels, type BuiltinModelInfo } from "./builtin-models.js";
export { scoreText, type ScoredAlternative, type ScoredText, type ScoredToken } from "./score-text.js";
export { toWireRequest, toFinishReason, toUsage, toLogprobs, type WireBody } from "./openai-compatible/wire.js";
