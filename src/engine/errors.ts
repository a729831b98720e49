// Errors raised by the engine (GGUF files, tokenizer, sampling). Same shape as every room's error:
// `pedigree: true`, a stable `code`, and a message that says what was wrong and what to do.
import { PedigreeError, isPedigreeErrorNamed } from "../errors/index.js";

export const ENGINE_ERROR_CODES = [
  "GGUF_BAD_MAGIC",
  "GGUF_TRUNCATED",
  "GGUF_MISSING_KEY",
  "GGUF_UNSUPPORTED",
  "GGUF_INVALID",
  "GGUF_NOT_FOUND",
  "TOKENIZER_INVALID",
  "CHECKPOINT_INVALID",
  "ENGINE_INVALID_ARGUMENT",
  "ENGINE_CONTEXT_OVERFLOW",
  "ENGINE_NATIVE_MISSING",
] as const;
export type EngineErrorCode = (typeof ENGINE_ERROR_CODES)[number];

export class EngineError extends PedigreeError<EngineErrorCode> {
  override name = "EngineError";

  static isInstance(value: unknown): value is EngineError {
    return isPedigreeErrorNamed(value, "EngineError");
  }
}
