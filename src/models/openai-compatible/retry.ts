// The adapter's one retry loop, shared by both transports (the SDK's own retries are off). It
// retries an attempt that failed before any answer arrived (connection error, timeout, 408, 409,
// 429, 5xx), waits as long as Retry-After asks, and gives up at once when the server asks for more
// than `maxWaitMs`: a spent daily quota is the caller's decision, not a silent hour-long sleep.
import { ModelError } from "../errors.js";
import type { HeaderSource } from "./errors.js";

export interface RetryPolicy {
  /** Retries after the first attempt. 0: the caller retries (harvest, a gateway's client). */
  maxRetries: number;
  /** Backoff before retry n (from 0) is baseDelayMs·2^n, capped at maxWaitMs. */
  baseDelayMs: number;
  /** The longest single wait; a longer Retry-After is not waited for. */
  maxWaitMs: number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const defaultRetryPolicy: RetryPolicy = { maxRetries: 2, baseDelayMs: 500, maxWaitMs: 60_000, sleep };

export async function withRetries<T>(attempt: () => Promise<T>, policy: RetryPolicy, signal?: AbortSignal): Promise<T> {
  for (let retry = 0; ; retry++) {
    try {
      return await attempt();
    } catch (error) {
      if (retry >= policy.maxRetries || !isRetryable(error) || signal?.aborted) throw error;
      const asked = retryAfterMs(error);
      if (asked !== undefined && asked > policy.maxWaitMs) throw error;
      await policy.sleep(asked ?? Math.min(policy.maxWaitMs, policy.baseDelayMs * 2 ** retry), signal);
    }
  }
}

function isRetryable(error: unknown): boolean {
  return ModelError.isInstance(error) && error.code !== "MODEL_ABORTED" && error.isRetryable;
}

/** Milliseconds the server asked for (retry-after-ms, then Retry-After seconds or HTTP date). */
export function retryAfterMs(error: unknown, now = Date.now()): number | undefined {
  const headers = (error as { cause?: { headers?: HeaderSource } }).cause?.headers;
  const milliseconds = header(headers, "retry-after-ms");
  if (milliseconds !== undefined && Number.isFinite(Number(milliseconds))) return Math.max(0, Number(milliseconds));
  const value = header(headers, "retry-after")?.trim();
  if (value === undefined) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function header(headers: HeaderSource, name: string): string | undefined {
  if (!headers) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}
