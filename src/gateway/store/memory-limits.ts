// Per-key limits in this process's memory, for the single server on SQLite: requests and tokens per
// minute over a sliding window of 60 one-second buckets, and tokens per UTC day, seeded from the log
// so a restart does not reset a key's quota. Replicas use redis-limits.ts or postgres-limits.ts.
import type { KeyRecord } from "./key-policy.js";
import { DAY_MS, limitError, secondsToMidnight, WINDOW_SECONDS as WINDOW } from "./limit-errors.js";
import type { LimitStore } from "./store.js";

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

export class MemoryLimits implements LimitStore {
  private readonly windows = new Map<string, MinuteWindow>();
  private readonly days = new Map<string, DayCount>();

  /** `tokensSince(keyId, dayStartMs)` reads what the log already holds for a key. */
  constructor(private readonly tokensSince: (keyId: string, sinceMs: number) => Promise<number>) {}

  private window(keyId: string): MinuteWindow {
    let window = this.windows.get(keyId);
    if (!window) this.windows.set(keyId, (window = new MinuteWindow()));
    return window;
  }

  private async dayCount(keyId: string, now: number): Promise<DayCount> {
    const day = Math.floor(now / DAY_MS);
    let count = this.days.get(keyId);
    if (!count || count.day !== day) {
      count = { day, tokens: await this.tokensSince(keyId, day * DAY_MS) };
      this.days.set(keyId, count);
    }
    return count;
  }

  async admit(key: KeyRecord, now: number): Promise<void> {
    const { rpm, tpm, dailyTokens } = key.policy;
    // The one await comes before the checks, so the checks and the count happen in one turn.
    const day = dailyTokens !== null ? await this.dayCount(key.id, now) : null;
    const second = Math.floor(now / 1000);
    const window = this.window(key.id);
    if (rpm !== null) {
      const wait = window.waitFor(second, "requests", rpm);
      if (wait > 0) throw limitError(key, "rpm", wait);
    }
    if (tpm !== null) {
      const wait = window.waitFor(second, "tokens", tpm);
      if (wait > 0) throw limitError(key, "tpm", wait);
    }
    if (day && dailyTokens !== null && day.tokens >= dailyTokens) throw limitError(key, "daily", secondsToMidnight(now));
    window.add(second, 1, 0);
  }

  async record(key: KeyRecord, now: number, tokens: number): Promise<void> {
    if (tokens <= 0) return;
    this.window(key.id).add(Math.floor(now / 1000), 0, tokens);
    if (key.policy.dailyTokens !== null) (await this.dayCount(key.id, now)).tokens += tokens;
  }

  async close(): Promise<void> {}
}
