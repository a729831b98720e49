// Whole-request retries for harvest: exponential backoff with seeded jitter, and the server's
// Retry-After (seconds or an HTTP date; also OpenAI's retry-after-ms) when it gives one. The openai
// client retries single HTTP attempts itself; this layer covers failures that survive those retries
// (a stream that dies, a timeout, a 429 storm) so one bad minute does not end a long harvest.
import { ModelError } from "../../models/errors.js";
import { createPrng } from "../../stats/prng.js";

export interface RetryOptions {
  /** Attempts in all, the first included (default 5). */
  maxAttempts?: number;
  /** Backoff before retry n is base·2^(n−1), jittered to [½, 1]× (default 500 ms). */
  baseDelayMs?: number;
  /** Cap for backoff and for Retry-After (default 60 s). */
  maxDelayMs?: number;
  /** Replaced in tests to record delays instead of waiting. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  seed?: number;
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
}

export function isRetryableError(error: unknown): boolean {
  if (ModelError.isInstance(error)) return error.isRetryable;
  return (error as { isRetryable?: unknown })?.isRetryable === true;
}

/** Milliseconds the server asked us to wait, from the error or its cause's response headers. */
export function retryAfterMs(error: unknown, now = Date.now()): number | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 4; current = (current as { cause?: unknown }).cause, depth++) {
    const direct = (current as { retryAfterMs?: unknown }).retryAfterMs;
    if (typeof direct === "number" && direct >= 0) return direct;
    const headers = (current as { headers?: unknown }).headers;
    const milliseconds = Number(header(headers, "retry-after-ms"));
    if (header(headers, "retry-after-ms") !== undefined && Number.isFinite(milliseconds) && milliseconds >= 0) return milliseconds;
    const value = header(headers, "retry-after");
    if (value !== undefined) return parseRetryAfter(value, now);
  }
  return undefined;
}

/** RFC 9110 §10.2.3: delay-seconds or an HTTP-date. */
export function parseRetryAfter(value: string, now = Date.now()): number | undefined {
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function header(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== "object") return undefined;
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const value = (headers as Record<string, unknown>)[name];
  return Array.isArray(value) ? String(value[0]) : value === undefined ? undefined : String(value);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(done, ms);
    function done(): void {
      signal?.removeEventListener("abort", abort);
      resolve();
    }
    function abort(): void {
      clearTimeout(timer);
      reject(signal!.reason);
    }
    signal?.addEventListener("abort", abort, { once: true });
  });
}

export interface RetryOutcome<T> {
  value: T;
  retries: number;
}

export async function withRetries<T>(run: () => Promise<T>, options: RetryOptions = {}, signal?: AbortSignal): Promise<RetryOutcome<T>> {
  const maxAttempts = options.maxAttempts ?? 5;
  const base = options.baseDelayMs ?? 500;
  const cap = options.maxDelayMs ?? 60_000;
  const wait = options.sleep ?? sleep;
  // Seeded jitter, so retry timing is reproducible (never Math.random).
  const prng = createPrng(`harvest-retry/${options.seed ?? 0}`);
  for (let attempt = 1; ; attempt++) {
    try {
      return { value: await run(), retries: attempt - 1 };
    } catch (error) {
      if (attempt >= maxAttempts || !isRetryableError(error) || signal?.aborted) throw error;
      const asked = retryAfterMs(error);
      const backoff = base * 2 ** (attempt - 1) * (0.5 + 0.5 * prng.next());
      const delayMs = Math.min(cap, asked ?? backoff);
      options.onRetry?.({ attempt, delayMs, error });
      await wait(delayMs, signal);
    }
  }
}
