// Whole-request retries for harvest. This is the only layer that retries a harvest request: the
// teacher is opened with its client's own retries off, so one prompt costs at most `maxAttempts`
// requests. Exponential backoff with seeded jitter, or the server's Retry-After (seconds or an HTTP
// date; also OpenAI's retry-after-ms) when it gives one. A Retry-After longer than `maxWaitMs` (a
// spent daily quota) stops at once with HARVEST_RATE_LIMITED instead of sleeping for hours.
import { ModelError } from "../../models/errors.js";
import { createRandom } from "../../random/index.js";
import { DistillError } from "../data/errors.js";
import { formatDuration } from "./progress.js";

export interface RetryOptions {
  /** Attempts in all, the first included (default 5). */
  maxAttempts?: number;
  /** Backoff before retry n is base·2^(n−1), jittered to [½, 1]× (default 500 ms). */
  baseDelayMs?: number;
  /** Cap for backoff when the server gives no Retry-After (default 60 s). */
  maxDelayMs?: number;
  /** The longest Retry-After honoured; a longer one stops the harvest (default 5 minutes). */
  maxWaitMs?: number;
  /** Replaced in tests to record delays instead of waiting. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Clock for HTTP-date Retry-After values and the reset time in messages. */
  now?: () => number;
  seed?: number;
  onRetry?: (info: RetryInfo) => void;
}

export interface RetryInfo {
  attempt: number;
  delayMs: number;
  error: unknown;
  /** What the wait is for, e.g. "rate limit (retry-after)" or "HTTP 503 (backoff)". */
  reason: string;
}

export const defaultMaxWaitMs = 5 * 60_000;

export function isRetryableError(error: unknown): boolean {
  if (ModelError.isInstance(error)) return error.code !== "MODEL_ABORTED" && error.isRetryable;
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
  const maxWait = options.maxWaitMs ?? defaultMaxWaitMs;
  const cap = Math.min(options.maxDelayMs ?? 60_000, maxWait);
  const wait = options.sleep ?? sleep;
  const now = options.now ?? Date.now;
  // Seeded jitter, so retry timing is reproducible (never Math.random).
  const prng = createRandom(`harvest-retry/${options.seed ?? 0}`);
  for (let attempt = 1; ; attempt++) {
    try {
      return { value: await run(), retries: attempt - 1 };
    } catch (error) {
      if (!isRetryableError(error) || signal?.aborted) throw error;
      const asked = retryAfterMs(error, now());
      if (asked !== undefined && asked > maxWait) throw waitTooLong(error, asked, maxWait, now());
      if (attempt >= maxAttempts) throw error;
      const delayMs = asked ?? Math.min(cap, base * 2 ** (attempt - 1) * (0.5 + 0.5 * prng.uniform53()));
      options.onRetry?.({ attempt, delayMs, error, reason: waitReason(error, asked !== undefined) });
      await wait(delayMs, signal);
    }
  }
}

/** "rate limit (retry-after)", "HTTP 503 (backoff)", "timeout (backoff)", … */
export function waitReason(error: unknown, serverAsked: boolean): string {
  const status = ModelError.isInstance(error) ? error.statusCode : undefined;
  const code = ModelError.isInstance(error) ? error.code : undefined;
  const what = status === 429 ? "rate limit" : code === "MODEL_TIMEOUT" ? "timeout" : code === "MODEL_CONNECTION" ? "connection" : status !== undefined ? `HTTP ${status}` : "error";
  return `${what} (${serverAsked ? "retry-after" : "backoff"})`;
}

function waitTooLong(error: unknown, askedMs: number, maxWaitMs: number, now: number): DistillError {
  const resets = new Date(now + askedMs).toISOString().replace(/\.\d{3}Z$/, "Z");
  const said = error instanceof Error ? error.message : String(error);
  return new DistillError(
    "HARVEST_RATE_LIMITED",
    `the teacher asks to wait ${formatDuration(askedMs)}, until ${resets}, longer than --max-wait ${formatDuration(maxWaitMs)} (${said})`,
    { cause: error },
  );
}
