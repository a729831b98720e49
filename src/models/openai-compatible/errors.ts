// Maps the openai client's errors onto ModelError, keeping statusCode and isRetryable.
import OpenAI from "openai";
import { ModelError } from "../errors.js";

export function toModelError(error: unknown, baseURL: string): ModelError {
  if (ModelError.isInstance(error)) return error;
  if (error instanceof OpenAI.APIUserAbortError) {
    return new ModelError("MODEL_ABORTED", "the request was aborted", { cause: error, isRetryable: false });
  }
  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    return new ModelError("MODEL_TIMEOUT", `no answer from ${baseURL} before the timeout; raise --timeout or check the server`, { cause: error, isRetryable: true });
  }
  if (error instanceof OpenAI.APIConnectionError) {
    const reason = error.cause instanceof Error ? `: ${error.cause.message}` : "";
    return new ModelError("MODEL_CONNECTION", `cannot reach ${baseURL}${reason}; is the server running?`, { cause: error, isRetryable: true });
  }
  if (error instanceof OpenAI.APIError) {
    const status = error.status;
    const detail = (error.error as { message?: string } | undefined)?.message ?? error.message;
    const hint = status === 401 ? " (check the API key)" : status === 404 ? " (check the model name and base URL)" : "";
    return new ModelError("MODEL_API_ERROR", `${baseURL} answered ${status ?? "an error"}: ${detail}${hint}`, { cause: error, statusCode: status });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ModelError("MODEL_API_ERROR", `request to ${baseURL} failed: ${message}`, { cause: error, isRetryable: false });
}
