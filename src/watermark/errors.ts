// Errors raised by the watermark room. Codes are stable; messages say what to do.
export type WatermarkErrorCode =
  | "KEY_NOT_FOUND"
  | "KEY_UNREADABLE"
  | "KEY_BAD_MAGIC"
  | "KEY_BAD_VERSION"
  | "KEY_INVALID"
  | "KEY_EXISTS"
  | "KEY_WRITE_FAILED"
  | "WATERMARK_BAD_PARAMS"
  | "WATERMARK_UNSUPPORTED";

export class WatermarkError extends Error {
  readonly pedigree = true;
  override name = "WatermarkError";
  readonly code: WatermarkErrorCode;

  constructor(code: WatermarkErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
  }

  static isInstance(value: unknown): value is WatermarkError {
    return value instanceof Error && (value as WatermarkError).name === "WatermarkError";
  }
}
