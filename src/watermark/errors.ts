// Errors raised by the watermark room. Codes are stable; messages say what to do.
export const WATERMARK_ERROR_CODES = [
  "WATERMARK_KEY_NOT_FOUND",
  "WATERMARK_KEY_UNREADABLE",
  "WATERMARK_KEY_BAD_MAGIC",
  "WATERMARK_KEY_BAD_VERSION",
  "WATERMARK_KEY_INVALID",
  "WATERMARK_KEY_EXISTS",
  "WATERMARK_KEY_WRITE_FAILED",
  "WATERMARK_BAD_PARAMS",
  "WATERMARK_UNSUPPORTED",
] as const;
export type WatermarkErrorCode = (typeof WATERMARK_ERROR_CODES)[number];

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
