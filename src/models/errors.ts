// Errors raised by model adapters. `statusCode` and `isRetryable` follow vercel/ai's APICallError:
// 408, 409, 429 and 5xx are worth retrying. A missing or malformed GGUF file is the engine's error
// (GGUF_*), passed through unchanged: the engine owns those codes.
import { PedigreeError, isPedigreeErrorNamed } from "../errors/index.js";

export const MODEL_ERROR_CODES = [
  "MODEL_BAD_REFERENCE", // the reference string has no known form
  "MODEL_UNKNOWN_BUILTIN", // no built-in model has that name
  "MODEL_LOAD_FAILED", // llama.cpp refused a file the GGUF checks accepted
  "MODEL_RUNTIME_ERROR", // a local runtime failed during a call
  "MODEL_UNSUPPORTED", // the model cannot do what was asked (an API model where a white-box one is needed)
  "MODEL_CONTEXT_OVERFLOW", // the prompt or text does not fit the model's context
  "MODEL_API_ERROR", // an API answered with an error status or broke its stream
  "MODEL_TIMEOUT", // an API gave no answer in time
  "MODEL_CONNECTION", // an API could not be reached
  "MODEL_ABORTED", // the caller aborted the request
] as const;
export type ModelErrorCode = (typeof MODEL_ERROR_CODES)[number];

export class ModelError extends PedigreeError<ModelErrorCode> {
  override name = "ModelError";
  readonly statusCode?: number;
  readonly isRetryable: boolean;

  constructor(code: ModelErrorCode, message: string, options: { statusCode?: number; isRetryable?: boolean; cause?: unknown } = {}) {
    super(code, message, { cause: options.cause });
    this.statusCode = options.statusCode;
    this.isRetryable = options.isRetryable ?? isRetryableStatus(options.statusCode);
  }

  static isInstance(value: unknown): value is ModelError {
    return isPedigreeErrorNamed(value, "ModelError");
  }
}

export function isRetryableStatus(status: number | undefined): boolean {
  return status === 408 || status === 409 || status === 429 || (status !== undefined && status >= 500);
}
