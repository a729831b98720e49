// pedigree monitor scan: alerts over a stored log (a data directory or an exported JSONL file).
import { isMonitorAction, scan, toMonitorExchange, type MonitorAction, type MonitorExchange, type ScanResult } from "../../monitor/index.js";
import { UsageError } from "../errors.js";
import { emit, note } from "../output.js";
import { describeScan } from "./monitor-format.js";
import { readDataLog, readExportedLog, type LogRead } from "./monitor-log-read.js";
import { loadReference } from "./monitor-reference.js";

export interface ScanOptions {
  data?: string;
  config?: string;
  log?: string;
  since?: string;
  reference?: string;
  fpr?: string;
  action?: string;
  json?: boolean;
}

/** --since: an ISO time, ms since the epoch, or a duration back from now (24h, 30m, 7d). */
export function parseSince(value: string, now = Date.now()): number {
  const duration = /^(\d+(?:\.\d+)?)(m|h|d)$/.exec(value.trim());
  if (duration) return now - Number(duration[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[duration[2] as "m" | "h" | "d"];
  if (/^\d+$/.test(value.trim())) return Number(value);
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed)) throw new UsageError(`--since must be an ISO time, ms since the epoch or a duration such as 24h, got '${value}'`);
  return parsed;
}

export function parseFpr(value: string | undefined): number {
  const fpr = value === undefined ? 1e-3 : Number(value);
  if (!(fpr > 0 && fpr < 1)) throw new UsageError(`--fpr must be a rate in (0, 1), got '${value}'`);
  return fpr;
}

export function parseAction(value: string | undefined): MonitorAction {
  const action = value ?? "flag";
  if (!isMonitorAction(action)) throw new UsageError(`--action must be flag, throttle, watermark or suspend, got '${action}'`);
  return action;
}

function logNotes(read: LogRead, source: string): string[] {
  const notes: string[] = [];
  if (!read.verify.ok) notes.push(`the log ${source} fails verification: ${read.verify.reason}; scanned the ${read.rows.length} rows before it`);
  if (read.bad_lines.length) notes.push(`${read.bad_lines.length} lines of ${source} are not JSON objects (first: line ${read.bad_lines[0]}); skipped`);
  return notes;
}

export async function runScan(options: ScanOptions): Promise<ScanResult & { notes: string[]; log: LogRead["verify"] }> {
  if (options.log && options.data) throw new UsageError("give --data DIR or --log FILE, not both");
  const fpr = parseFpr(options.fpr);
  const action = parseAction(options.action);
  const since = options.since === undefined ? -Infinity : parseSince(options.since);
  const source = options.log ?? `the data directory ${options.data ?? "(default)"}`;
  const read = options.log ? readExportedLog(options.log) : await readDataLog(options.data, options.config);
  const notes = logNotes(read, source);
  const skipped = new Map<string, number>();
  const exchanges: MonitorExchange[] = [];
  for (const row of read.rows) {
    const exchange = toMonitorExchange(row);
    if (typeof exchange === "string") skipped.set(exchange, (skipped.get(exchange) ?? 0) + 1);
    else if (exchange.ts >= since) exchanges.push(exchange);
  }
  for (const [reason, count] of skipped) notes.push(`${count} rows skipped: ${reason}`);
  const active = new Set(exchanges.map((exchange) => exchange.keyId));
  const idle = read.known_keys.filter((key) => !active.has(key));
  if (idle.length) notes.push(`${idle.length} keys had no traffic in the window and were not scored (${idle.slice(0, 3).join(", ")}${idle.length > 3 ? ", …" : ""})`);
  if (exchanges.length === 0) notes.push("no exchanges to scan in the window");
  const reference = await loadReference(options.reference ?? "builtin", options.json ? () => undefined : note);
  const result = scan(exchanges, reference, { fpr, action });
  if (result.p_floor > fpr) notes.push(`the reference is too small to alert at --fpr ${fpr}: its smallest p-value is ${result.p_floor.toExponential(2)}; give a larger --reference`);
  return { ...result, notes, log: read.verify };
}

export async function scanCommand(options: ScanOptions): Promise<void> {
  const result = await runScan(options);
  emit(options, result, () => describeScan(result));
}

