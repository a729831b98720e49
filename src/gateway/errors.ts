// The gateway's one error class. Each error knows the HTTP status and the OpenAI error `type` it maps
// to, so one handler turns any of them into `{"error":{"message","type","param","code"}}`.
import { PedigreeError, isPedigreeErrorNamed } from "../errors/index.js";

export type GatewayErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "permission_error"
  | "not_found_error"
  | "rate_limit_error"
  | "server_error"
  | "upstream_error"
  | "timeout_error";

/**
 * Every code the gateway raises. The HTTP body carries it in lower case (`toJSON`): the OpenAI-facing
 * ones (invalid_api_key, model_not_found, rate_limit_exceeded, insufficient_quota,
 * context_length_exceeded, …) are what OpenAI clients already branch on, so they keep OpenAI's names.
 */
export const GATEWAY_ERROR_CODES = [
  // the OpenAI-compatible API
  "INVALID_API_KEY",
  "MODEL_NOT_FOUND",
  "MODEL_UNAVAILABLE",
  "INVALID_JSON",
  "INVALID_REQUEST",
  "UNSUPPORTED_VALUE",
  "REQUEST_TOO_LARGE",
  "CONTEXT_LENGTH_EXCEEDED",
  "RATE_LIMIT_EXCEEDED",
  "INSUFFICIENT_QUOTA",
  "CLIENT_CLOSED",
  "NOT_FOUND",
  "SHUTTING_DOWN",
  "INTERNAL_ERROR",
  "LOG_FAILED",
  // the backend behind a model
  "UPSTREAM_TIMEOUT",
  "UPSTREAM_REJECTED",
  "UPSTREAM_RATE_LIMITED",
  "UPSTREAM_ERROR",
  // the admin API and the operator's commands (keys, log, serve)
  "ADMIN_DISABLED",
  "API_KEY_NOT_FOUND",
  "API_KEY_ALREADY_REVOKED",
  "API_KEY_BAD_POLICY",
  "API_KEY_SUSPENDED",
  "CONFIG_INVALID",
  "DATA_DIR_NOT_FOUND",
  "DATA_DIR_LOCKED",
  "LISTEN_FAILED",
  "LOG_NOT_FOUND",
  "LOG_TAMPERED",
  // the storage behind the gateway (SQLite or PostgreSQL and Redis)
  "STORE_SCHEMA_TOO_NEW",
  "STORE_UNREACHABLE",
  // controlled distillation: files, fine-tuning jobs, batches (distillation/)
  "DISTILLATION_NOT_LICENSED",
  "INVALID_FILE_FORMAT",
  "FILE_TOO_LARGE",
  "INVALID_STATE",
] as const;
export type GatewayErrorCode = (typeof GATEWAY_ERROR_CODES)[number];

export interface GatewayErrorOptions {
  status: number;
  type: GatewayErrorType;
  param?: string | null;
  /** Seconds to put in Retry-After (429 only). */
  retryAfter?: number;
  cause?: unknown;
}

export class GatewayError extends PedigreeError<GatewayErrorCode> {
  override name = "GatewayError";
  readonly status: number;
  readonly type: GatewayErrorType;
  readonly param: string | null;
  readonly retryAfter?: number;

  constructor(code: GatewayErrorCode, message: string, options: GatewayErrorOptions) {
    super(code, message, { cause: options.cause });
    this.status = options.status;
    this.type = options.type;
    this.param = options.param ?? null;
    this.retryAfter = options.retryAfter;
  }

  static isInstance(value: unknown): value is GatewayError {
    return isPedigreeErrorNamed(value, "GatewayError");
  }

  toJSON(): { error: { message: string; type: string; param: string | null; code: string } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code.toLowerCase() } };
  }
}

export const badRequest = (code: GatewayErrorCode, message: string, param?: string | null): GatewayError =>
  new GatewayError(code, message, { status: 400, type: "invalid_request_error", param });

export const unauthorized = (message: string): GatewayError =>
  new GatewayError("INVALID_API_KEY", message, { status: 401, type: "invalid_request_error" });

export const modelNotFound = (model: string): GatewayError =>
  new GatewayError(
    "MODEL_NOT_FOUND",
    `The model '${model}' does not exist or this key may not use it; GET /v1/models lists the models you can use.`,
    { status: 404, type: "invalid_request_error", param: "model" },
  );
