// Errors raised while building corpora: a packaged text source is missing or malformed.
export type CorpusErrorCode = "CORPUS_SOURCE_MISSING" | "CORPUS_SOURCE_INVALID" | "CORPUS_BAD_RECIPE" | "CORPUS_UNKNOWN_TASK";

export class CorpusError extends Error {
  readonly pedigree = true;
  override name = "CorpusError";
  readonly code: CorpusErrorCode;

  constructor(code: CorpusErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
  }

  static isInstance(value: unknown): value is CorpusError {
    return value instanceof Error && (value as CorpusError).name === "CorpusError";
  }
}
