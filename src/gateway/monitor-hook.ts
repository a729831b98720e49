// The monitor hook: every answered exchange goes to the monitor (through its public API) once it is
// in the log; an alert, and any action it takes on a key, is appended to the log's chain as an event,
// so the log shows when the provider knew. Actions: `throttle` caps the key's requests per minute,
// `watermark` serves the key watermarked whatever its policy says, at the policy's stronger δ
// (KGW), `suspend` refuses it (403).
import { OnlineMonitor, toMonitorExchange, type MonitorAction, type MonitorAlert, type MonitorPolicy, type Reference } from "../monitor/index.js";
import { GatewayError } from "./errors.js";
import type { ExchangeEntry } from "./store/hash-chain.js";
import type { LogWriter } from "./store/store.js";

export interface MonitorHookOptions {
  reference: Reference;
  policy?: Partial<MonitorPolicy>;
  /** Whole-day looks and clusters are swept after this many exchanges (default 2000) and every 10 minutes. */
  sweepEvery?: number;
}

const SWEEP_MS = 600_000;

export class MonitorHook {
  private readonly monitor: OnlineMonitor;
  private readonly actions = new Map<string, MonitorAction>();
  private readonly recent = new Map<string, number[]>();
  private readonly throttleRpm: number;
  private readonly watermarkDelta: number;
  private readonly sweepEvery: number;
  private sinceSweep = 0;
  private readonly timer: NodeJS.Timeout;
  /** Event appends in flight (close waits for them). */
  private pending = new Set<Promise<unknown>>();

  constructor(options: MonitorHookOptions, private readonly log: LogWriter, private readonly onError: (error: unknown) => void) {
    this.monitor = new OnlineMonitor(options.reference, options.policy);
    this.throttleRpm = options.policy?.throttleRpm ?? 6;
    this.watermarkDelta = options.policy?.watermarkDelta ?? 3;
    this.sweepEvery = options.sweepEvery ?? 2000;
    this.timer = setInterval(() => this.sweep(), SWEEP_MS).unref();
  }

  get alerts(): readonly MonitorAlert[] {
    return this.monitor.alerts;
  }

  /** Throws for a suspended key, or a throttled key past its rate; else counts the request. */
  admit(keyId: string, now: number): void {
    const action = this.actions.get(keyId);
    if (action === "suspend") throw new GatewayError("API_KEY_SUSPENDED", "this key is suspended after a monitor alert; contact the provider", { status: 403, type: "permission_error" });
    if (action !== "throttle") return;
    const times = (this.recent.get(keyId) ?? []).filter((time) => time > now - 60_000);
    if (times.length >= this.throttleRpm) {
      this.recent.set(keyId, times);
      throw new GatewayError("RATE_LIMIT_EXCEEDED", `this key is throttled to ${this.throttleRpm} requests per minute after a monitor alert; retry after 60 s`, { status: 429, type: "rate_limit_error", retryAfter: 60 });
    }
    times.push(now);
    this.recent.set(keyId, times);
  }

  /** The δ a key under a `watermark` action is served at, or null when no such action holds. */
  forcedWatermarkDelta(keyId: string): number | null {
    return this.actions.get(keyId) === "watermark" ? this.watermarkDelta : null;
  }

  /** Feeds one logged exchange to the monitor; never throws into the request that made it. */
  observe(id: number, entry: ExchangeEntry): void {
    const exchange = toMonitorExchange({ ...entry, id });
    if (typeof exchange === "string") return;
    this.handle(this.monitor.observe(exchange));
    if (++this.sinceSweep >= this.sweepEvery) setImmediate(() => this.sweep());
  }

  sweep(): void {
    this.sinceSweep = 0;
    try {
      this.handle(this.monitor.sweep());
    } catch (error) {
      this.onError(error);
    }
  }

  private handle(alerts: MonitorAlert[]): void {
    for (const alert of alerts) {
      this.track(this.log.appendEvent({ type: "monitor_alert", key_id: alert.scope === "key" ? alert.keys[0]! : null, payload: alert }));
      if (alert.action === "flag") continue;
      for (const keyId of alert.keys) {
        if (this.actions.get(keyId) === alert.action) continue;
        this.actions.set(keyId, alert.action);
        this.track(this.log.appendEvent({ type: "monitor_action", key_id: keyId, payload: { action: alert.action, p_holm: alert.p_holm, day: alert.day } }));
      }
    }
  }

  private track(append: Promise<unknown>): void {
    const tracked = append.catch(this.onError).finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  /** Stops the timer and waits for event rows in flight (before the log closes). */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.pending);
  }
}
