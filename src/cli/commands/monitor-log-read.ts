// Reading the exchange log for the monitor: a gateway data directory (verified first) or an exported
// JSONL file (its chain checked row by row). A log that fails verification is read up to the row
// before the first bad one, and the reason is reported: nothing after an unverifiable row is trusted.
import { readFileSync } from "node:fs";
import { MonitorError } from "../../monitor/index.js";
import { openGatewayStore } from "../../gateway/data-options.js";
import { verifyExportedRows, type ExportedRow } from "../../gateway/verify-export.js";

export interface LogRead {
  rows: Record<string, unknown>[];
  verify: { ok: boolean; rows: number; first_bad_row: number | null; reason: string | null };
  /** Lines of a JSONL file that were not JSON objects (1-based). */
  bad_lines: number[];
  /** Keys the data directory knows (for "no traffic" notes); empty for a file. */
  known_keys: string[];
}

export async function readDataLog(dataDir: string | undefined, config?: string): Promise<LogRead> {
  const { store } = await openGatewayStore({ data: dataDir, config }, "log");
  try {
    const verify = await store.reader.verify();
    // Each replica's chain is trusted up to the row before its own first bad row.
    const firstBad = new Map(verify.chains.filter((chain) => chain.first_bad_row !== null).map((chain) => [chain.chain, chain.first_bad_row!]));
    const rows: Record<string, unknown>[] = [];
    for await (const row of store.reader.iterate()) {
      const bad = firstBad.get(row.chain as string);
      if (bad !== undefined && (row.seq as number) >= bad) continue;
      rows.push(row);
    }
    const known_keys = (await store.keys.list()).filter((key) => key.revokedAt === null).map((key) => key.id);
    return { rows, verify: { ok: verify.ok, rows: verify.rows, first_bad_row: verify.first_bad_row, reason: verify.reason }, bad_lines: [], known_keys };
  } finally {
    await store.close();
  }
}

export function readExportedLog(file: string): LogRead {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (cause) {
    throw new MonitorError("MONITOR_LOG_INVALID", `cannot read the log file ${file}: ${(cause as Error).message}`, { cause });
  }
  const parsed: ExportedRow[] = [];
  const bad_lines: number[] = [];
  text.split("\n").forEach((line, index) => {
    if (!line.trim()) return;
    try {
      const value = JSON.parse(line) as unknown;
      if (value && typeof value === "object" && !Array.isArray(value)) parsed.push(value as ExportedRow);
      else bad_lines.push(index + 1);
    } catch {
      bad_lines.push(index + 1);
    }
  });
  // Exports carry each row's hashes; rows without them (another tool's JSONL) cannot be verified.
  const chained = parsed.length > 0 && parsed.every((row) => typeof row.hash === "string" && typeof row.prev_hash === "string");
  const verify = chained
    ? verifyExportedRows(parsed)
    : { ok: false, rows: parsed.length, first_bad_row: null, reason: "the rows carry no hash chain (not a `pedigree log export`); read unverified" };
  const rows = verify.first_bad_row === null ? parsed : parsed.filter((row) => row.id < verify.first_bad_row!);
  return { rows: rows as unknown as Record<string, unknown>[], verify, bad_lines, known_keys: [] };
}
