// The monitor beside a running gateway. Each exchange is prepared once and kept for its UTC day;
// when a key's day reaches a prefix look, that look is scored at once (Bonferroni over the keys seen
// that day for acting, so an early alert needs no later correction); `sweep` scores every key-day's
// whole-day look and the cross-key clusters over what is kept, and reports alerts not raised before.
import { MonitorError } from "./errors.js";
import type { MonitorExchange } from "./exchange.js";
import { DAY_MS, type KeyDay } from "./key-days.js";
import { DEFAULT_POLICY, type MonitorPolicy } from "./policy.js";
import { prepareExchange } from "./prepared.js";
import { keyDayStatistic, type Reference } from "./reference.js";
import { scanKeyDays, type MonitorAlert } from "./scan.js";

export class OnlineMonitor {
  private readonly days = new Map<number, Map<string, KeyDay>>();
  private readonly raised = new Set<string>();
  private readonly policy: MonitorPolicy;
  /** Every alert raised, oldest first. */
  readonly alerts: MonitorAlert[] = [];

  constructor(private readonly reference: Reference, policy: Partial<MonitorPolicy> = {}) {
    this.policy = { ...DEFAULT_POLICY, ...policy };
    if (!(this.policy.fpr > 0 && this.policy.fpr < 1)) throw new MonitorError("MONITOR_BAD_OPTION", `the false-positive rate must be in (0, 1), got ${this.policy.fpr}`);
  }

  /** Adds one exchange; returns the alerts its key's prefix look raised now (usually none). */
  observe(exchange: MonitorExchange): MonitorAlert[] {
    const day = Math.floor(exchange.ts / DAY_MS) * DAY_MS;
    this.forgetBefore(day - DAY_MS);
    let keys = this.days.get(day);
    if (!keys) this.days.set(day, (keys = new Map()));
    let keyDay = keys.get(exchange.keyId);
    if (!keyDay) keys.set(exchange.keyId, (keyDay = { keyId: exchange.keyId, day, exchanges: [] }));
    keyDay.exchanges.push(prepareExchange(exchange, this.reference.topics));
    const lookIndex = this.reference.looks.indexOf(keyDay.exchanges.length);
    if (lookIndex < 0) return [];
    // The statistic over the prefix looks reached so far: the whole day's can only be larger.
    const scored = keyDayStatistic(this.reference, keyDay, undefined, lookIndex).best!;
    const p = this.reference.keyNull.pValue(scored.surprise);
    if (p > this.policy.fpr) return [];
    const keysToday = keys.size;
    const bonferroni = Math.min(1, keysToday * p);
    return this.raise({
      scope: "key", keys: [exchange.keyId], day: new Date(day).toISOString().slice(0, 10), statistic: scored.score, p_value: p, p_bh: bonferroni, p_holm: bonferroni,
      signals: scored.signals, action: bonferroni <= this.policy.fpr ? this.policy.action : "flag", exchanges: keyDay.exchanges.length,
      exchanges_before_alert: keyDay.exchanges.length, alerted_at: new Date(exchange.ts).toISOString(),
    });
  }

  /** Whole-day looks and clusters over the kept days; returns the alerts not raised before. */
  sweep(): MonitorAlert[] {
    const kept = [...this.days.values()].flatMap((keys) => [...keys.values()]);
    return scanKeyDays(kept, this.reference, this.policy).alerts.flatMap((alert) => this.raise(alert));
  }

  private raise(alert: MonitorAlert): MonitorAlert[] {
    const name = `${alert.scope}\u0000${alert.day}\u0000${[...alert.keys].sort().join(",")}`;
    if (this.raised.has(name)) return [];
    // A key already alerted today is not alerted again by a later look.
    if (alert.scope === "key" && this.raised.has(`key-day\u0000${alert.day}\u0000${alert.keys[0]}`)) return [];
    this.raised.add(name);
    if (alert.scope === "key") this.raised.add(`key-day\u0000${alert.day}\u0000${alert.keys[0]}`);
    this.alerts.push(alert);
    return [alert];
  }

  private forgetBefore(day: number): void {
    for (const kept of this.days.keys()) if (kept < day) this.days.delete(kept);
  }
}
