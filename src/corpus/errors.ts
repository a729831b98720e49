// Errors raised while building corpora: a packaged text source is missing or malformed.
import { PedigreeError, isPedigreeErrorNamed } from "../errors/index.js";

export const CORPUS_ERROR_CODES = ["CORPUS_SOURCE_MISSING", "CORPUS_SOURCE_INVALID", "CORPUS_BAD_RECIPE", "CORPUS_UNKNOWN_TASK"] as const;
export type CorpusErrorCode = (typeof CORPUS_ERROR_CODES)[number];

export class CorpusError extends PedigreeError<CorpusErrorCode> {
  override name = "CorpusError";

  static isInstance(value: unknown): value is CorpusError {
    return isPedigreeErrorNamed(value, "CorpusError");
  }
}
