// Checking an exported exchange log (`pedigree log export`) on its own: every row must commit to the
// previous row's hash and hash to its own content. The first row may follow a pruned anchor, so its
// prev_hash is taken as given; the published head hash pins the rest.
import { rowHash, type ExchangeRow } from "./hash-chain.js";

export interface ExportVerifyResult {
  ok: boolean;
  rows: number;
  first_bad_row: number | null;
  reason: string | null;
  head: string | null;
}

export function verifyExportedRows(rows: readonly ExchangeRow[]): ExportVerifyResult {
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
