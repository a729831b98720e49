// Errors of the files leaf: an output that would replace a user's file, a write that failed, or an
// input file that is missing or cannot be read.
import { PedigreeError, isPedigreeErrorNamed } from "../errors/index.js";

export const FILES_ERROR_CODES = ["OUTPUT_EXISTS", "OUTPUT_WRITE_FAILED", "INPUT_NOT_FOUND", "INPUT_UNREADABLE"] as const;
export type FilesErrorCode = (typeof FILES_ERROR_CODES)[number];

export class FilesError extends PedigreeError<FilesErrorCode> {
  override name = "FilesError";

  static isInstance(value: unknown): value is FilesError {
    return isPedigreeErrorNamed(value, "FilesError");
  }
}
