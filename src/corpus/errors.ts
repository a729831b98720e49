// Errors raised while building corpora: a packaged text source is missing or malformed.
export const CORPUS_ERROR_CODES = ["CORPUS_SOURCE_MISSING", "CORPUS_SOURCE_INVALID", "CORPUS_BAD_RECIPE", "CORPUS_UNKNOWN_TASK"] as const;
export type CorpusErrorCode = (typeof CORPUS_ERROR_CODES)[number];

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
