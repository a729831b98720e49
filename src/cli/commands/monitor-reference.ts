// The benign reference a scan is calibrated against: `builtin` simulates benign clients (people and
// apps) over the packaged corpora's prompts; a file is an exported JSONL log of traffic the provider
// trusts as benign (for real traffic, the built-in reference is only a demonstration).
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  buildReference, directExchanges, MonitorError, referenceFromJson, referenceToJson, REFERENCE_FORMAT, simulateTraffic, toMonitorExchange,
  type MonitorExchange, type Reference,
} from "../../monitor/index.js";
import type { MonitorHookOptions } from "../../gateway/monitor-hook.js";
import { readExportedLog } from "./monitor-log-read.js";
import { promptPools } from "./monitor-sources.js";

// As large as the benchmark's: at the default 1e-3 a smaller one gives a realised rate that varies.
export const BUILTIN_REFERENCE = { seed: "pedigree-builtin-reference", benignKeys: 16000, appKeys: 240 } as const;

// One process may scan several times (tests, watch): a reference is built once per source.
const built = new Map<string, Reference>();

/**
 * Built references are also kept on disk (PEDIGREE_CACHE_DIR, else $XDG_CACHE_HOME/pedigree or
 * ~/.cache/pedigree; PEDIGREE_CACHE_DIR=off turns it off), named by a hash of their source (the
 * file's path, size and time, or the built-in settings) and of the monitor's own code, so a change
 * to either builds afresh.
 */
function cacheDir(): string | null {
  const configured = process.env.PEDIGREE_CACHE_DIR;
  if (configured === "off") return null;
  return configured ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "pedigree");
}

let codeHash: string | undefined;
function monitorCodeHash(): string {
  if (codeHash) return codeHash;
  const hash = createHash("sha256").update(`format ${REFERENCE_FORMAT}`);
  const room = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "monitor");
  const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)]));
  for (const file of files(room).filter((name) => /\.(js|ts)$/.test(name) && !/\.(test|d)\.(js|ts)$/.test(name)).sort()) hash.update(file.slice(room.length)).update(readFileSync(file));
  return (codeHash = hash.digest("hex"));
}

function readCached(file: string): Reference | null {
  try {
    return referenceFromJson(JSON.parse(readFileSync(file, "utf8")), file);
  } catch {
    return null; // missing, half-written by a killed process, or from another format: build afresh
  }
}

function writeCached(file: string, reference: Reference): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(referenceToJson(reference)));
    renameSync(temporary, file);
  } catch {
    // A cache that cannot be written costs the next scan the build, nothing else.
  }
}

export async function loadReference(spec: string, note: (message: string) => void): Promise<Reference> {
  const file = spec === "builtin" ? null : statSync(spec, { throwIfNoEntry: false });
  const stamp = spec === "builtin" ? `builtin ${JSON.stringify(BUILTIN_REFERENCE)}` : `${resolve(spec)}\u0000${file?.size ?? "missing"}\u0000${file?.mtimeMs ?? ""}`;
  const cached = built.get(stamp);
  if (cached) return cached;
  const dir = cacheDir();
  const cacheFile = dir && (spec === "builtin" || file) ? join(dir, `monitor-reference-${createHash("sha256").update(stamp).update(monitorCodeHash()).digest("hex").slice(0, 24)}.json`) : null;
  const saved = cacheFile ? readCached(cacheFile) : null;
  if (saved) {
    built.set(stamp, saved);
    return saved;
  }
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
  if (cacheFile) writeCached(cacheFile, reference);
  return reference;
}

/** The gateway's monitor settings for `pedigree serve --monitor [REFERENCE]`. */
export async function serveMonitor(reference: string | true, fpr: string | undefined, action: string | undefined, note: (message: string) => void): Promise<MonitorHookOptions> {
  const { parseAction, parseFpr } = await import("./monitor-scan.js");
  const policy = { fpr: parseFpr(fpr), action: parseAction(action) };
  return { reference: await loadReference(reference === true ? "builtin" : reference, note), policy };
}
