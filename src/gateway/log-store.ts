// Reading the exchange log: verification of the hash chain, retention, queries and JSONL export.
import type { SqliteDatabase } from "./database.js";
import { GENESIS_HASH, rowHash, type ExchangeRow } from "./hash-chain.js";

export interface VerifyResult {
  ok: boolean;
  rows: number;
  /** Id of the first row that is edited, missing, out of place or unexpected; null when ok. */
  first_bad_row: number | null;
  reason: string | null;
  /** Hash of the newest row: publish it elsewhere to pin the whole history. */
  head: string;
}

interface ChainPoint {
  row_id: number;
  hash: string;
}

function chainPoint(db: SqliteDatabase, name: "head" | "anchor"): ChainPoint | undefined {
  return db.prepare<[string], ChainPoint>("SELECT row_id, hash FROM chain_state WHERE name = ?").get(name);
}

export function verifyLog(db: SqliteDatabase): VerifyResult {
  // Read in one transaction so a running server's appends do not race the check.
  return db.transaction((): VerifyResult => {
    const anchor = chainPoint(db, "anchor") ?? { row_id: 0, hash: GENESIS_HASH };
    const head = chainPoint(db, "head");
    let expectedId = anchor.row_id + 1;
    let prev = anchor.hash;
    let rows = 0;
    const fail = (row: number, reason: string): VerifyResult => ({ ok: false, rows, first_bad_row: row, reason, head: prev });
    for (const row of db.prepare<[], ExchangeRow>("SELECT * FROM exchanges ORDER BY id").iterate()) {
      if (row.id < expectedId) return fail(row.id, `row ${row.id} lies before the retention anchor (row ${anchor.row_id})`);
      if (row.id > expectedId) return fail(expectedId, `row ${expectedId} is missing (the next row is ${row.id})`);
      if (row.prev_hash !== prev) return fail(row.id, `row ${row.id} does not commit to the hash of row ${row.id - 1}`);
      if (rowHash(row) !== row.hash) return fail(row.id, `row ${row.id} was changed after it was written (its hash does not match its content)`);
      rows += 1;
      expectedId += 1;
      prev = row.hash;
    }
    const last = expectedId - 1;
    if (head && head.row_id > last) return fail(last + 1, `row ${last + 1} is missing (the log's head is row ${head.row_id})`);
    if (head && head.row_id < last) return fail(head.row_id + 1, `row ${head.row_id + 1} was added outside the log writer (the head is row ${head.row_id})`);
    if (head && head.hash !== prev) return fail(last, `row ${last} does not match the recorded head hash`);
    return { ok: true, rows, first_bad_row: null, reason: null, head: prev };
  })();
}

/** Deletes rows older than `cutoffMs` from the front of the chain and moves the anchor past them. */
export function pruneLog(db: SqliteDatabase, cutoffMs: number): number {
  return db.transaction((): number => {
    const firstKept = db.prepare<[number], { id: number | null }>("SELECT MIN(id) AS id FROM exchanges WHERE ts >= ?").get(cutoffMs)?.id;
    const bound = firstKept ?? (db.prepare<[], { id: number | null }>("SELECT MAX(id) AS id FROM exchanges").get()?.id ?? 0) + 1;
    const last = db.prepare<[number], { id: number; hash: string }>("SELECT id, hash FROM exchanges WHERE id < ? ORDER BY id DESC LIMIT 1").get(bound);
    if (!last) return 0;
    const removed = db.prepare("DELETE FROM exchanges WHERE id <= ?").run(last.id).changes;
    db.prepare("INSERT INTO chain_state (name, row_id, hash) VALUES ('anchor', ?, ?) ON CONFLICT(name) DO UPDATE SET row_id = excluded.row_id, hash = excluded.hash").run(last.id, last.hash);
    return removed;
  }).immediate();
}

export interface ExchangeQuery {
  keyId?: string;
  afterId?: number;
  limit?: number;
}

/** Rows as JSON objects (request parsed back), oldest first. */
export function queryLog(db: SqliteDatabase, query: ExchangeQuery = {}): Record<string, unknown>[] {
  const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
  const rows = query.keyId === undefined
    ? db.prepare<[number, number], ExchangeRow>("SELECT * FROM exchanges WHERE id > ? ORDER BY id LIMIT ?").all(query.afterId ?? 0, limit)
    : db.prepare<[string, number, number], ExchangeRow>("SELECT * FROM exchanges WHERE key_id = ? AND id > ? ORDER BY id LIMIT ?").all(query.keyId, query.afterId ?? 0, limit);
  return rows.map(exchangeJson);
}

export function exchangeJson(row: ExchangeRow): Record<string, unknown> {
  return { ...row, time: new Date(row.ts).toISOString(), request: JSON.parse(row.request), distillation_licensed: row.distillation_licensed === 1 };
}

/** Every row, oldest first, for `pedigree log export`. */
export function* iterateLog(db: SqliteDatabase): Generator<Record<string, unknown>> {
  for (const row of db.prepare<[], ExchangeRow>("SELECT * FROM exchanges ORDER BY id").iterate()) yield exchangeJson(row);
}

export interface KeyUsage {
  key_id: string | null;
  requests: number;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export function usageByKey(db: SqliteDatabase, sinceMs: number, keyId?: string): KeyUsage[] {
  const select = `SELECT key_id, COUNT(*) AS requests, COALESCE(SUM(prompt_tokens), 0) AS prompt_tokens,
    COALESCE(SUM(completion_tokens), 0) AS completion_tokens, COALESCE(SUM(total_tokens), 0) AS total_tokens
    FROM exchanges WHERE ts >= ?`;
  if (keyId === undefined) return db.prepare<[number], KeyUsage>(`${select} GROUP BY key_id ORDER BY key_id`).all(sinceMs);
  const row = db.prepare<[number, string], KeyUsage>(`${select} AND key_id = ?`).get(sinceMs, keyId);
  return [{ ...(row as KeyUsage), key_id: keyId }];
}
