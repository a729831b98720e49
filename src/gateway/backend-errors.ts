// Maps a backend's failure to what the client sees: 504 for timeouts, 400 context_length_exceeded
// when the prompt does not fit the model (as OpenAI answers; a 502 would make clients retry a
// hopeless request), 400 when the upstream rejected the request itself, 429 when the upstream is
// rate limiting, 502 for every other upstream failure.
import { ModelError } from "../models/errors.js";
import { GatewayError } from "./errors.js";

function statusOf(error: unknown): number | undefined {
  if (ModelError.isInstance(error)) return error.statusCode;
  const status = (error as { status?: unknown })?.status;
  return typeof status === "number" ? status : undefined;
}

const overflowWording = /context[ _]length|maximum context|context window|context size/i;

/**
 * White-box adapters (engine, llama.cpp) raise MODEL_CONTEXT_OVERFLOW; an OpenAI-compatible upstream
 * answers 400 with code context_length_exceeded (or, for some servers, only says so in words).
 */
export function isContextOverflow(error: unknown): boolean {
  if (ModelError.isInstance(error) && error.code === "MODEL_CONTEXT_OVERFLOW") return true;
  const status = statusOf(error);
  if (status !== 400 && status !== 413) return false;
  for (let current: unknown = error, depth = 0; current && depth < 4; current = (current as { cause?: unknown }).cause, depth++) {
    const code = (current as { code?: unknown }).code ?? (current as { error?: { code?: unknown } }).error?.code;
    if (code === "context_length_exceeded") return true;
  }
  return error instanceof Error && overflowWording.test(error.message);
}

export function backendError(error: unknown, model: string, timedOut: boolean): GatewayError {
  if (GatewayError.isInstance(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown })?.code;
  const name = error instanceof Error ? error.name : "";
  if (timedOut || code === "MODEL_TIMEOUT" || /timeout/i.test(name)) {
    return new GatewayError("UPSTREAM_TIMEOUT", `The backend for '${model}' did not answer in time.`, { status: 504, type: "timeout_error", cause: error });
  }
  if (isContextOverflow(error)) {
    return new GatewayError("CONTEXT_LENGTH_EXCEEDED", `The messages are longer than the context of '${model}': ${message}`, {
      status: 400, type: "invalid_request_error", param: "messages", cause: error,
    });
  }
  const status = statusOf(error);
  if (status === 400 || status === 422) {
    return new GatewayError("UPSTREAM_REJECTED", `The backend for '${model}' rejected the request: ${message}`, { status: 400, type: "invalid_request_error", cause: error });
  }
  if (status === 429) {
    return new GatewayError("UPSTREAM_RATE_LIMITED", `The backend for '${model}' is rate limiting the gateway; try again shortly.`, { status: 429, type: "rate_limit_error", retryAfter: 1, cause: error });
  }
  const detail = status !== undefined ? `HTTP ${status}: ${message}` : message;
  return new GatewayError("UPSTREAM_ERROR", `The backend for '${model}' failed (${detail}).`, { status: 502, type: "upstream_error", cause: error });
}
