// One error mapping for both transports: a failed attempt becomes a ModelError that keeps the
// status, whether a retry can help, and the response headers (as `cause.headers`, where callers
// read Retry-After).
import OpenAI from "openai";
import { ModelError } from "../errors.js";

export type HeaderSource = Headers | Record<string, string | string[] | undefined> | undefined;

/** What the server said, kept as the error's cause. */
export interface FailedResponse {
  status: number;
  headers: HeaderSource;
}

interface ErrorBody {
  message?: string;
  code?: string | null;
}

const contextOverflow = /context[ _]length|maximum context|context window|too many tokens|prompt is too long/i;

/** A non-2xx answer. `body` is the parsed `error` object when the server sent one. */
export function responseError(baseURL: string, status: number, body: ErrorBody | undefined, headers: HeaderSource, fallback = ""): ModelError {
  const detail = body?.message ?? fallback.slice(0, 500);
  const cause: FailedResponse = { status, headers };
  if ((status === 400 || status === 413 || status === 422) && (body?.code === "context_length_exceeded" || contextOverflow.test(detail))) {
    return new ModelError("MODEL_CONTEXT_OVERFLOW", `${baseURL} answered ${status}: ${detail} (the prompt is longer than the model's context; shorten it)`, { statusCode: status, cause });
  }
  const hint = status === 401 ? " (check the API key)" : status === 404 ? " (check the model name and base URL)" : "";
  return new ModelError("MODEL_API_ERROR", `${baseURL} answered ${status}: ${detail || "no detail"}${hint}`, { statusCode: status, cause });
}

export function abortedError(cause?: unknown): ModelError {
  return new ModelError("MODEL_ABORTED", "the request was aborted", { cause, isRetryable: false });
}

export function timeoutError(baseURL: string, cause?: unknown): ModelError {
  return new ModelError("MODEL_TIMEOUT", `no answer from ${baseURL} before the timeout; raise the timeout or check the server`, { cause, isRetryable: true });
}

export function connectionError(baseURL: string, cause: unknown): ModelError {
  const reason = cause instanceof Error && cause.message ? `: ${cause.message}` : "";
  return new ModelError("MODEL_CONNECTION", `cannot reach ${baseURL}${reason}; is the server running?`, { cause, isRetryable: true });
}

/** The server accepted the request but the stream broke or reported an error before finishing. */
export function brokenStreamError(baseURL: string, detail: string, cause?: unknown): ModelError {
  return new ModelError("MODEL_API_ERROR", `the stream from ${baseURL} ended before the answer was finished (${detail}); retry the request`, { statusCode: 502, isRetryable: true, cause });
}

/** The official client's errors, mapped like the node:http transport's. */
export function fromSdkError(error: unknown, baseURL: string): ModelError {
  if (ModelError.isInstance(error)) return error;
  if (error instanceof OpenAI.APIUserAbortError) return abortedError(error);
  if (error instanceof OpenAI.APIConnectionTimeoutError) return timeoutError(baseURL, error);
  if (error instanceof OpenAI.APIConnectionError) return connectionError(baseURL, error.cause ?? error);
  if (error instanceof OpenAI.APIError) {
    // No status: the error arrived inside a stream that had already started.
    if (error.status === undefined) return brokenStreamError(baseURL, error.message, error);
    return responseError(baseURL, error.status, error.error as ErrorBody | undefined, error.headers, error.message);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ModelError("MODEL_API_ERROR", `request to ${baseURL} failed: ${message}`, { cause: error, isRetryable: false });
}
