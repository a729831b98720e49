// Errors raised by the watermark room. Codes are stable; messages say what to do.
import { PedigreeError, isPedigreeErrorNamed } from "../errors/index.js";

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

export class WatermarkError extends PedigreeError<WatermarkErrorCode> {
  override name = "WatermarkError";

  static isInstance(value: unknown): value is WatermarkError {
    return isPedigreeErrorNamed(value, "WatermarkError");
  }
}
