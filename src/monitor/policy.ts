// What an alert does. `flag` only records it; the others act on the key, and only for alerts that
// survive Holm's correction across the day's keys (family-wise error at the configured rate).
export const MONITOR_ACTIONS = ["flag", "throttle", "watermark", "suspend"] as const;
export type MonitorAction = (typeof MONITOR_ACTIONS)[number];

export interface MonitorPolicy {
  /** False-positive rate per benign key per UTC day (default 1e-3). */
  fpr: number;
  /** What an acting alert does (default flag). */
  action: MonitorAction;
  /** Requests per minute a throttled key keeps. */
  throttleRpm: number;
  /**
   * The KGW bias δ a `watermark` action serves the key at (at least the key's own δ). 3 by default:
   * it costs answer quality, but it is what finds students of a diluted harvest (BENCHMARKS.md).
   */
  watermarkDelta: number;
}

export const DEFAULT_POLICY: MonitorPolicy = { fpr: 1e-3, action: "flag", throttleRpm: 6, watermarkDelta: 3 };

export function isMonitorAction(value: string): value is MonitorAction {
  return (MONITOR_ACTIONS as readonly string[]).includes(value);
}
