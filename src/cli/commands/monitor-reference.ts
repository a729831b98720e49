// The benign reference a scan is calibrated against: `builtin` simulates benign clients (people and
// apps) over the packaged corpora's prompts; a file is an exported JSONL log of traffic the provider
// trusts as benign (for real traffic, the built-in reference is only a demonstration).
import { buildReference, directExchanges, MonitorError, simulateTraffic, toMonitorExchange, type MonitorExchange, type Reference } from "../../monitor/index.js";
import { readExportedLog } from "./monitor-log-read.js";
import { promptPools } from "./monitor-sources.js";

export const BUILTIN_REFERENCE = { seed: "pedigree-builtin-reference", benignKeys: 8000, appKeys: 120 } as const;

export async function loadReference(spec: string, note: (message: string) => void): Promise<Reference> {
  let exchanges: MonitorExchange[];
  if (spec === "builtin") {
    note("building the built-in benign reference (simulated clients over the packaged corpora)…");
    const traffic = simulateTraffic({ ...BUILTIN_REFERENCE, pools: await promptPools("all"), prefix: "reference" });
    exchanges = directExchanges(traffic.requests);
  } else {
    const read = readExportedLog(spec);
    if (!read.verify.ok) note(`warning: the reference log ${spec} fails verification (${read.verify.reason}); using the ${read.rows.length} rows before it`);
    exchanges = read.rows.map(toMonitorExchange).filter((row): row is MonitorExchange => typeof row !== "string");
  }
  if (exchanges.length === 0) throw new MonitorError("MONITOR_REFERENCE_TOO_SMALL", `the reference ${spec} holds no answered exchanges with a key`);
  const reference = buildReference(exchanges);
  note(`reference: ${reference.calibrationWindows} calibration key-days, ${reference.fitWindows} fit key-days`);
  return reference;
}
