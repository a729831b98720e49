// Errors raised by the engine (GGUF files, tokenizer, sampling). Same shape as every room's error:
// `pedigree: true`, a stable `code`, and a message that says what was wrong and what to do.
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

export class EngineError extends Error {
  readonly pedigree = true;
  override name = "EngineError";
  readonly code: EngineErrorCode;

  constructor(code: EngineErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
  }

  static isInstance(value: unknown): value is EngineError {
    return value instanceof Error && (value as EngineError).name === "EngineError" && (value as EngineError).pedigree === true;
  }
}
