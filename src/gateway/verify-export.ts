// Checking an exported exchange log (`pedigree log export`) on its own: every row must commit to the
// previous row's hash and hash to its own content. The first row may follow a pruned anchor, so its
// prev_hash is taken as given; the published head hash pins the rest. The export shows `request` as
// JSON and `distillation_licensed` as a boolean (log-store.ts exchangeJson); both are turned back
// into the stored form, which is what the hash commits to.
import { rowHash, type ExchangeRow } from "./hash-chain.js";

/** A row as `pedigree log export` writes it. */
export type ExportedRow = Omit<ExchangeRow, "request" | "distillation_licensed"> & {
  request: unknown;
  distillation_licensed: boolean | number;
  time?: string;
};

/** The stored form of an exported row. */
export function storedRow(row: ExportedRow): ExchangeRow {
  const { time: _time, ...rest } = row;
  return {
    ...rest,
    request: typeof row.request === "string" ? row.request : JSON.stringify(row.request),
    distillation_licensed: row.distillation_licensed === true || row.distillation_licensed === 1 ? 1 : 0,
  };
}

export interface ExportVerifyResult {
  ok: boolean;
  rows: number;
  first_bad_row: number | null;
  reason: string | null;
  head: string | null;
}

export function verifyExportedRows(exported: readonly ExportedRow[]): ExportVerifyResult {
  const rows = exported.map(storedRow);
  let previous: ExchangeRow | null = null;
  for (const row of rows) {
    const fail = (reason: string): ExportVerifyResult => ({ ok: false, rows: rows.length, first_bad_row: row.id, reason, head: null });
    if (previous && row.id !== previous.id + 1) return fail(`row ${previous.id + 1} is missing (the next row is ${row.id})`);
    if (previous && row.prev_hash !== previous.hash) return fail(`row ${row.id} does not commit to the hash of row ${previous.id}`);
    if (rowHash(row) !== row.hash) return fail(`row ${row.id} was changed after it was written (its hash does not match its content)`);
    previous = row;
  }
  return { ok: true, rows: rows.length, first_bad_row: null, reason: null, head: previous?.hash ?? null };
}
