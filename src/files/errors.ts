// Errors of the files leaf: an output that would replace a user's file, a write that failed, or an
// input file that is missing or cannot be read.
export const FILES_ERROR_CODES = ["OUTPUT_EXISTS", "OUTPUT_WRITE_FAILED", "INPUT_NOT_FOUND", "INPUT_UNREADABLE"] as const;
export type FilesErrorCode = (typeof FILES_ERROR_CODES)[number];

export class FilesError extends Error {
  readonly pedigree = true;
  override name = "FilesError";
  readonly code: FilesErrorCode;

  constructor(code: FilesErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
  }

  static isInstance(value: unknown): value is FilesError {
    return value instanceof Error && (value as FilesError).name === "FilesError" && (value as FilesError).pedigree === true;
  }
}
