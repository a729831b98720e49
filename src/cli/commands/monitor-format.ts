// Human-readable monitor output: one line per alert, strongest first.
import type { MonitorAlert, ScanResult } from "../../monitor/index.js";

export function alertLine(alert: MonitorAlert): string {
  const who = alert.scope === "key" ? alert.keys[0] : `cluster of ${alert.keys.length} keys (${alert.keys.slice(0, 3).join(", ")}${alert.keys.length > 3 ? ", …" : ""})`;
  const signals = alert.signals.length ? alert.signals.join(", ") : "combined features";
  return `${alert.day}  ${who}: p = ${alert.p_value.toExponential(2)} (Holm ${alert.p_holm.toExponential(2)}), ${signals}; ${alert.action} after ${alert.exchanges_before_alert} exchanges`;
}

export function describeScan(result: ScanResult & { notes: string[] }): string {
  const lines = [
    `scanned ${result.exchanges} exchanges of ${result.keys} keys (${result.key_days} key-days) from ${result.window.from ?? "-"} to ${result.window.to ?? "-"}`,
    ...result.notes.map((note) => `note: ${note}`),
    result.alerts.length ? `${result.alerts.length} alert${result.alerts.length === 1 ? "" : "s"}:` : "no alerts",
    ...result.alerts.map((alert) => `  ${alertLine(alert)}`),
  ];
  return lines.join("\n");
}
