// Errors raised by model adapters. `statusCode` and `isRetryable` follow vercel/ai's APICallError:
// 408, 409, 429 and 5xx are worth retrying. A malformed GGUF file is the engine's error (GGUF_*),
// passed through unchanged: the engine owns those codes.
export const MODEL_ERROR_CODES = [
  "MODEL_UNKNOWN_BUILTIN",
  "MODEL_BAD_REFERENCE",
  "MODEL_API_ERROR",
  "MODEL_TIMEOUT",
  "MODEL_CONNECTION",
  "MODEL_ABORTED",
  "MODEL_UNSUPPORTED",
  "MODEL_CONTEXT_OVERFLOW",
  "MODEL_FILE_NOT_FOUND",
] as const;
export type ModelErrorCode = (typeof MODEL_ERROR_CODES)[number];

export class ModelError extends Error {
  readonly pedigree = true;
  override name = "ModelError";
  readonly code: ModelErrorCode;
  readonly statusCode?: number;
  readonly isRetryable: boolean;

  constructor(code: ModelErrorCode, message: string, options: { statusCode?: number; isRetryable?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.statusCode = options.statusCode;
    this.isRetryable = options.isRetryable ?? isRetryableStatus(options.statusCode);
  }

  static isInstance(value: unknown): value is ModelError {
    return value instanceof Error && (value as ModelError).name === "ModelError";
  }
}

export function isRetryableStatus(status: number | undefined): boolean {
  return status === 408 || status === 409 || status === 429 || (status !== undefined && status >= 500);
}
