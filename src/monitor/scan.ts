// The scan: every key-day gets one conformal p-value for its largest look surprise (so a benign
// key-day alerts with probability ≤ α however many looks fire); clusters get theirs from the
// cluster null. Within each UTC day, Benjamini–Hochberg (reported) and Holm (for acting) adjust
// across all of the day's tests. An alert is raised when the key-day's own p-value is ≤ α, which
// is what the per-key-per-day false-positive rate promises; BH and Holm never reject p > α either.
import { benjaminiHochberg, holmBonferroni } from "../stats/index.js";
import type { MonitorExchange } from "./exchange.js";
import type { FeatureName } from "./features.js";
import { findClusters } from "./clusters.js";
import { groupKeyDays, type KeyDay } from "./key-days.js";
import { DEFAULT_POLICY, type MonitorAction, type MonitorPolicy } from "./policy.js";
import { prepareExchange } from "./prepared.js";
import { byDay, keyDayStatistic, scoreCluster, type LookScore, type Reference } from "./reference.js";

export interface MonitorAlert {
  scope: "key" | "cluster";
  keys: string[];
  /** UTC day (YYYY-MM-DD). */
  day: string;
  statistic: number;
  p_value: number;
  p_bh: number;
  p_holm: number;
  signals: FeatureName[];
  action: MonitorAction;
  /** Exchanges in the window the alert looked at. */
  exchanges: number;
  /** The key's exchanges that day up to the first look that alerted. */
  exchanges_before_alert: number;
  /** Time of the last exchange the alerting look saw. */
  alerted_at: string;
}

export interface KeyDayResult {
  keyId: string;
  day: number;
  exchanges: number;
  p_value: number;
  statistic: number;
  signals: FeatureName[];
  /** Index of the first look at which the key-day's p-value so far is ≤ α, or null. */
  alertLook: number | null;
  alertAfter: number | null;
  alertAt: number | null;
}

export interface ScanResult {
  window: { from: string | null; to: string | null };
  keys: number;
  key_days: number;
  exchanges: number;
  alerts: MonitorAlert[];
  /** The smallest p-value the reference can give a key-day (1 / (N + 1)). */
  p_floor: number;
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function scoreKeyDay(reference: Reference, keyDay: KeyDay, fpr: number): KeyDayResult {
  let running = -Infinity;
  let alert: LookScore | null = null;
  const { statistic, best } = keyDayStatistic(reference, keyDay, (scored) => {
    running = Math.max(running, scored.surprise);
    if (alert === null && reference.keyNull.pValue(running) <= fpr) alert = scored;
  });
  const found = alert as LookScore | null;
  return {
    keyId: keyDay.keyId, day: keyDay.day, exchanges: keyDay.exchanges.length, p_value: reference.keyNull.pValue(statistic), statistic, signals: best?.signals ?? [],
    alertLook: found?.look ?? null, alertAfter: found ? found.window.length : null, alertAt: found ? found.window.at(-1)!.exchange.ts : null,
  };
}

interface Candidate extends Omit<MonitorAlert, "p_bh" | "p_holm" | "action"> {}

export function scan(exchanges: readonly MonitorExchange[], reference: Reference, policy: Partial<MonitorPolicy> = {}): ScanResult {
  return scanKeyDays(groupKeyDays(exchanges.map((exchange) => prepareExchange(exchange, reference.topics))), reference, policy);
}

/** The scan over key-days already prepared (the online monitor keeps its days this way). */
export function scanKeyDays(keyDays: readonly KeyDay[], reference: Reference, policy: Partial<MonitorPolicy> = {}): ScanResult {
  const settings = { ...DEFAULT_POLICY, ...policy };
  const alerts: MonitorAlert[] = [];
  for (const day of byDay(keyDays)) {
    const tests: Candidate[] = [];
    const pValues: number[] = [];
    for (const keyDay of day) {
      const result = scoreKeyDay(reference, keyDay, settings.fpr);
      pValues.push(result.p_value);
      tests.push({
        scope: "key", keys: [keyDay.keyId], day: isoDay(keyDay.day), statistic: result.statistic, p_value: result.p_value, signals: result.signals,
        exchanges: result.alertLook === null ? keyDay.exchanges.length : result.alertAfter!, exchanges_before_alert: result.alertAfter ?? keyDay.exchanges.length,
        alerted_at: new Date(result.alertAt ?? keyDay.exchanges.at(-1)!.exchange.ts).toISOString(),
      });
    }
    for (const members of findClusters(day, reference.commonBands)) {
      const cluster = members.map((index) => day[index]!);
      const scored = scoreCluster(reference, cluster);
      const p = reference.clusterNull.pValue(scored.score);
      pValues.push(p);
      tests.push({
        scope: "cluster", keys: cluster.map((keyDay) => keyDay.keyId), day: isoDay(day[0]!.day), statistic: scored.score, p_value: p, signals: scored.signals,
        exchanges: scored.exchanges, exchanges_before_alert: scored.exchanges, alerted_at: new Date(Math.max(...cluster.map((keyDay) => keyDay.exchanges.at(-1)!.exchange.ts))).toISOString(),
      });
    }
    const bh = benjaminiHochberg(pValues);
    const holm = holmBonferroni(pValues, settings.fpr).adjusted;
    tests.forEach((test, i) => {
      if (test.p_value > settings.fpr) return;
      alerts.push({ ...test, p_bh: bh[i]!, p_holm: holm[i]!, action: holm[i]! <= settings.fpr ? settings.action : "flag" });
    });
  }
  let from = Infinity;
  let to = -Infinity;
  let exchanges = 0;
  for (const keyDay of keyDays) {
    exchanges += keyDay.exchanges.length;
    from = Math.min(from, keyDay.exchanges[0]!.exchange.ts);
    to = Math.max(to, keyDay.exchanges.at(-1)!.exchange.ts);
  }
  return {
    window: { from: exchanges ? new Date(from).toISOString() : null, to: exchanges ? new Date(to).toISOString() : null },
    keys: new Set(keyDays.map((keyDay) => keyDay.keyId)).size,
    key_days: keyDays.length,
    exchanges,
    alerts: alerts.sort((a, b) => a.p_value - b.p_value),
    p_floor: reference.keyNull.floor,
  };
}
