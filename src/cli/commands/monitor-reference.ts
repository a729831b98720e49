// The benign reference a scan is calibrated against: `builtin` simulates benign clients (people and
// apps) over the packaged corpora's prompts; a file is an exported JSONL log of traffic the provider
// trusts as benign (for real traffic, the built-in reference is only a demonstration).
import { statSync } from "node:fs";
import { buildReference, directExchanges, MonitorError, simulateTraffic, toMonitorExchange, type MonitorExchange, type Reference } from "../../monitor/index.js";
import type { MonitorHookOptions } from "../../gateway/monitor-hook.js";
import { readExportedLog } from "./monitor-log-read.js";
import { promptPools } from "./monitor-sources.js";

export const BUILTIN_REFERENCE = { seed: "pedigree-builtin-reference", benignKeys: 8000, appKeys: 120 } as const;

// One process may scan several times (tests, watch): a reference is built once per source.
const built = new Map<string, Reference>();

export async function loadReference(spec: string, note: (message: string) => void): Promise<Reference> {
  const stamp = spec === "builtin" ? spec : `${spec}\u0000${statSync(spec, { throwIfNoEntry: false })?.mtimeMs ?? "missing"}`;
  const cached = built.get(stamp);
  if (cached) return cached;
  let exchanges: MonitorExchange[];
  if (spec === "builtin") {
    note("building the built-in benign reference (simulated clients over the packaged corpora)…");
    const traffic = simulateTraffic({ ...BUILTIN_REFERENCE, pools: await promptPools("all"), prefix: "reference" });
    exchanges = directExchanges(traffic.requests);
  } else {
    const read = readExportedLog(spec);
    if (!read.verify.ok && read.verify.first_bad_row !== null) note(`warning: the reference log ${spec} fails verification (${read.verify.reason}); using the ${read.rows.length} rows before it`);
    exchanges = read.rows.map(toMonitorExchange).filter((row): row is MonitorExchange => typeof row !== "string");
  }
  if (exchanges.length === 0) throw new MonitorError("MONITOR_REFERENCE_TOO_SMALL", `the reference ${spec} holds no answered exchanges with a key`);
  const reference = buildReference(exchanges);
  note(`reference: ${reference.calibrationWindows} calibration key-days, ${reference.fitWindows} fit key-days`);
  built.set(stamp, reference);
  return reference;
}

/** The gateway's monitor settings for `pedigree serve --monitor [REFERENCE]`. */
export async function serveMonitor(reference: string | true, fpr: string | undefined, action: string | undefined, note: (message: string) => void): Promise<MonitorHookOptions> {
  const { parseAction, parseFpr } = await import("./monitor-scan.js");
  const policy = { fpr: parseFpr(fpr), action: parseAction(action) };
  return { reference: await loadReference(reference === true ? "builtin" : reference, note), policy };
}
