// Checking an exported log (`pedigree log export`) on its own: rows are grouped by chain, and in each
// chain every row must follow the previous one, commit to its hash and hash to its own content. A
// chain's first row may follow a pruned anchor, so its position and prev_hash are taken as given; the
// published head hash pins the rest. The export shows `request` and `payload` as JSON and
// `distillation_licensed` as a boolean (store/log-rows.ts); they are turned back into the stored form,
// which is what the hash commits to. An export from before named chains (no `chain` field) is one
// chain of format-1 rows whose position is `id`.
import { ChainVerifier, verifyResult } from "./store/chain-verifier.js";
import { GENESIS_HASH, LEGACY_CHAIN, type LogRow } from "./store/hash-chain.js";
import type { VerifyResult } from "./store/store.js";

/** A row as `pedigree log export` writes it. */
export type ExportedRow = Omit<LogRow, "request" | "payload" | "distillation_licensed" | "chain" | "seq" | "kind" | "format" | "event_type"> & {
  request: unknown;
  payload?: unknown;
  distillation_licensed: boolean | number;
  chain?: string;
  seq?: number;
  kind?: "exchange" | "event";
  format?: number;
  event_type?: string | null;
  time?: string;
};

/** The stored form of an exported row. */
export function storedRow(row: ExportedRow): LogRow {
  const { time: _time, ...rest } = row;
  const legacy = row.chain === undefined;
  const kind = row.kind ?? "exchange";
  return {
    ...rest,
    chain: row.chain ?? LEGACY_CHAIN,
    seq: row.seq ?? row.id,
    kind,
    format: row.format ?? (legacy ? 1 : 2),
    event_type: row.event_type ?? null,
    request: typeof row.request === "string" ? row.request : row.request === null && kind === "event" ? "" : JSON.stringify(row.request),
    payload: row.payload === undefined || row.payload === null ? null : JSON.stringify(row.payload),
    distillation_licensed: row.distillation_licensed === true || row.distillation_licensed === 1 ? 1 : 0,
  };
}

export function verifyExportedRows(exported: readonly ExportedRow[]): VerifyResult {
  const chains = new Map<string, LogRow[]>();
  for (const row of exported.map(storedRow)) {
    const rows = chains.get(row.chain) ?? [];
    rows.push(row);
    chains.set(row.chain, rows);
  }
  const results = [...chains].sort(([a], [b]) => a.localeCompare(b)).map(([chain, rows]) => {
    const verifier = new ChainVerifier(chain, { seq: 0, hash: GENESIS_HASH }, true);
    for (const row of rows.sort((a, b) => a.seq - b.seq)) if (!verifier.push(row)) break;
    return verifier.finish(null);
  });
  return verifyResult(results);
}
