// Per-key limits: requests and tokens per minute over a sliding window of 60 one-second buckets,
// and tokens per UTC day. Counters live in memory; the daily count is seeded from the exchange log
// so a restart does not reset a key's quota.
import { GatewayError, type GatewayErrorCode } from "./errors.js";
import type { KeyRecord } from "./keys.js";

const WINDOW = 60;
const DAY_MS = 86_400_000;

class MinuteWindow {
  private readonly seconds = new Float64Array(WINDOW).fill(-1);
  private readonly requests = new Float64Array(WINDOW);
  private readonly tokens = new Float64Array(WINDOW);

  private slot(second: number): number {
    const index = second % WINDOW;
    if (this.seconds[index] !== second) {
      this.seconds[index] = second;
      this.requests[index] = 0;
      this.tokens[index] = 0;
    }
    return index;
  }

  add(second: number, requests: number, tokens: number): void {
    const index = this.slot(second);
    this.requests[index]! += requests;
    this.tokens[index]! += tokens;
  }

  /** Live buckets oldest first, as [second, count]. */
  private live(second: number, series: Float64Array): [number, number][] {
    const out: [number, number][] = [];
    for (let i = 0; i < WINDOW; i++) {
      const s = this.seconds[i]!;
      if (s > second - WINDOW && s <= second && series[i]! > 0) out.push([s, series[i]!]);
    }
    return out.sort((a, b) => a[0] - b[0]);
  }

  /** 0 when under `limit`, else seconds until enough old buckets expire to get under it. */
  waitFor(second: number, which: "requests" | "tokens", limit: number): number {
    const buckets = this.live(second, which === "requests" ? this.requests : this.tokens);
    let total = buckets.reduce((sum, [, count]) => sum + count, 0);
    if (total < limit) return 0;
    for (const [s, count] of buckets) {
      total -= count;
      if (total < limit) return s + WINDOW - second;
    }
    return WINDOW;
  }
}

interface DayCount {
  day: number;
  tokens: number;
}

export class RateLimiter {
  private readonly windows = new Map<string, MinuteWindow>();
  private readonly days = new Map<string, DayCount>();

  /** `tokensToday(keyId, dayStartMs)` reads what the log already holds for a key. */
  constructor(private readonly tokensToday: (keyId: string, dayStartMs: number) => number) {}

  private window(keyId: string): MinuteWindow {
    let window = this.windows.get(keyId);
    if (!window) this.windows.set(keyId, (window = new MinuteWindow()));
    return window;
  }

  private dayCount(keyId: string, now: number): DayCount {
    const day = Math.floor(now / DAY_MS);
    let count = this.days.get(keyId);
    if (!count || count.day !== day) {
      count = { day, tokens: this.tokensToday(keyId, day * DAY_MS) };
      this.days.set(keyId, count);
    }
    return count;
  }

  /** Throws a 429 when the key is over a limit; otherwise counts the request. */
  admit(key: KeyRecord, now: number): void {
    const { rpm, tpm, dailyTokens } = key.policy;
    const second = Math.floor(now / 1000);
    const window = this.window(key.id);
    if (rpm !== null) {
      const wait = window.waitFor(second, "requests", rpm);
      if (wait > 0) throw limitError(`this key may make ${rpm} requests per minute`, wait);
    }
    if (tpm !== null) {
      const wait = window.waitFor(second, "tokens", tpm);
      if (wait > 0) throw limitError(`this key may use ${tpm} tokens per minute`, wait);
    }
    if (dailyTokens !== null && this.dayCount(key.id, now).tokens >= dailyTokens) {
      const wait = Math.ceil((DAY_MS - (now % DAY_MS)) / 1000);
      throw limitError(`this key has used its daily quota of ${dailyTokens} tokens; it resets at 00:00 UTC`, wait, "INSUFFICIENT_QUOTA");
    }
    window.add(second, 1, 0);
  }

  /** Counts tokens once an exchange has finished. */
  record(key: KeyRecord, now: number, tokens: number): void {
    if (tokens <= 0) return;
    this.window(key.id).add(Math.floor(now / 1000), 0, tokens);
    if (key.policy.dailyTokens !== null) this.dayCount(key.id, now).tokens += tokens;
  }
}

function limitError(message: string, retryAfter: number, code: GatewayErrorCode = "RATE_LIMIT_EXCEEDED"): GatewayError {
  return new GatewayError(code, `${message}; retry after ${retryAfter} s`, { status: 429, type: "rate_limit_error", retryAfter });
}
