// Reading the log on SQLite: verification of every chain, retention, queries, usage and export.
import { ChainVerifier, verifyResult } from "../chain-verifier.js";
import type { LogRow } from "../hash-chain.js";
import { exchangeJson, queryFilter } from "../log-rows.js";
import { badCursor } from "../store-errors.js";
import type { ExchangeQuery, KeyUsage, LogReader, RowRef, UsageBucket, UsageBucketQuery, VerifyResult } from "../store.js";
import type { SqliteDatabase } from "./database.js";

interface ChainState {
  chain: string;
  head_seq: number;
  head_hash: string;
  anchor_seq: number;
  anchor_hash: string;
}

const USAGE = `SELECT key_id, COUNT(*) AS requests, COALESCE(SUM(prompt_tokens), 0) AS prompt_tokens,
  COALESCE(SUM(completion_tokens), 0) AS completion_tokens, COALESCE(SUM(total_tokens), 0) AS total_tokens
  FROM exchanges WHERE kind = 'exchange' AND ts >= ?`;

// Integer division of a non-negative offset is the bucket's index (since is aligned by the caller).
const USAGE_BUCKETS = `SELECT key_id, CAST((ts - @since) / @width AS INTEGER) AS slot, COUNT(*) AS requests, SUM(decision LIKE 'denied:%') AS denied,
  COALESCE(SUM(total_tokens), 0) AS total_tokens
  FROM exchanges WHERE kind = 'exchange' AND ts >= @since AND ts < @until GROUP BY key_id, slot ORDER BY key_id, slot`;

export function verifySqliteLog(db: SqliteDatabase): VerifyResult {
  // Read in one transaction so a running server's appends do not race the check.
  return db.transaction((): VerifyResult => {
    const states = new Map(db.prepare<[], ChainState>("SELECT * FROM chains").all().map((state) => [state.chain, state]));
    // Rows of a chain the chains table does not know (a forged chain) are checked from genesis.
    for (const { chain } of db.prepare<[], { chain: string }>("SELECT DISTINCT chain FROM exchanges").all()) {
      if (!states.has(chain)) states.set(chain, { chain, head_seq: -1, head_hash: "", anchor_seq: 0, anchor_hash: "0".repeat(64) });
    }
    const rowsOf = db.prepare<[string], LogRow>("SELECT * FROM exchanges WHERE chain = ? ORDER BY seq");
    const results = [...states.values()].sort((a, b) => a.chain.localeCompare(b.chain)).map((state) => {
      const verifier = new ChainVerifier(state.chain, { seq: state.anchor_seq, hash: state.anchor_hash });
      for (const row of rowsOf.iterate(state.chain)) if (!verifier.push(row)) break;
      const unknown = state.head_seq === -1;
      const result = verifier.finish(unknown ? null : { seq: state.head_seq, hash: state.head_hash });
      return unknown && result.ok ? { ...result, ok: false, first_bad_row: 1, reason: `chain ${state.chain} was added outside the log writer (no recorded head)` } : result;
    });
    return verifyResult(results);
  })();
}

/**
 * Deletes up to `batch` of the rows older than `cutoffMs` at the front of one chain and moves its
 * anchor past them, in one short transaction; returns how many went.
 */
function pruneBatch(db: SqliteDatabase, chain: string, cutoffMs: number, batch: number): number {
  return db.transaction((): number => {
    const firstKept = db.prepare<[string, number], { seq: number | null }>("SELECT MIN(seq) AS seq FROM exchanges WHERE chain = ? AND ts >= ?").get(chain, cutoffMs)?.seq;
    const bound = firstKept ?? (db.prepare<[string], { seq: number | null }>("SELECT MAX(seq) AS seq FROM exchanges WHERE chain = ?").get(chain)?.seq ?? 0) + 1;
    const last = db.prepare<[string, number, number], { seq: number; hash: string }>("SELECT seq, hash FROM (SELECT seq, hash FROM exchanges WHERE chain = ? AND seq < ? ORDER BY seq LIMIT ?) ORDER BY seq DESC LIMIT 1").get(chain, bound, batch);
    if (!last) return 0;
    const removed = db.prepare("DELETE FROM exchanges WHERE chain = ? AND seq <= ?").run(chain, last.seq).changes;
    db.prepare("UPDATE chains SET anchor_seq = ?, anchor_hash = ? WHERE chain = ?").run(last.seq, last.hash, chain);
    return removed;
  }).immediate();
}

const PRUNE_BATCH = 5000;

/**
 * Deletes the rows older than `cutoffMs` at the front of each chain, in batches with a turn of the
 * event loop between them: the gateway prunes on a timer, and one long transaction would hold every
 * request (and any other process's writes) for its whole length.
 */
export async function pruneSqliteLog(db: SqliteDatabase, cutoffMs: number, batch = PRUNE_BATCH): Promise<number> {
  let removed = 0;
  for (const { chain } of db.prepare<[], { chain: string }>("SELECT chain FROM chains").all()) {
    for (;;) {
      const deleted = pruneBatch(db, chain, cutoffMs, batch);
      removed += deleted;
      if (deleted < batch) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return removed;
}

function cursorId(cursor: string): number {
  if (cursor === "") return 0;
  if (!/^\d+$/.test(cursor)) throw badCursor(cursor);
  return Number(cursor);
}

export class SqliteLogReader implements LogReader {
  private readonly tokens;

  constructor(private readonly db: SqliteDatabase) {
    this.tokens = db.prepare<[string, number], { tokens: number }>("SELECT COALESCE(SUM(total_tokens), 0) AS tokens FROM exchanges WHERE key_id = ? AND ts >= ? AND kind = 'exchange'");
  }

  async verify(): Promise<VerifyResult> {
    return verifySqliteLog(this.db);
  }

  async prune(cutoffMs: number, batch?: number): Promise<number> {
    return pruneSqliteLog(this.db, cutoffMs, batch);
  }

  async query(query: ExchangeQuery = {}): Promise<Record<string, unknown>[]> {
    const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
    // One writer per database file: ids are in commit order, so the cursor is the id.
    const paged = query.cursor === undefined ? query : { ...query, afterId: cursorId(query.cursor) };
    const { where, values } = queryFilter(paged);
    const rows = this.db.prepare<unknown[], LogRow>(`SELECT * FROM exchanges WHERE ${where} ORDER BY id LIMIT ?`).all(...values, limit);
    return rows.map((row) => exchangeJson(row, query.cursor === undefined ? undefined : String(row.id)));
  }

  async row(ref: RowRef): Promise<Record<string, unknown> | null> {
    const row = this.db.prepare<[string, number], LogRow>("SELECT * FROM exchanges WHERE chain = ? AND seq = ?").get(ref.chain, ref.seq);
    return row ? exchangeJson(row) : null;
  }

  async usageBuckets(query: UsageBucketQuery): Promise<UsageBucket[]> {
    return this.db.prepare<[{ since: number; until: number; width: number }], UsageBucket>(USAGE_BUCKETS).all({ since: query.sinceMs, until: query.untilMs, width: query.bucketMs });
  }

  async usage(sinceMs: number, keyId?: string): Promise<KeyUsage[]> {
    if (keyId === undefined) return this.db.prepare<[number], KeyUsage>(`${USAGE} GROUP BY key_id ORDER BY key_id`).all(sinceMs);
    const row = this.db.prepare<[number, string], KeyUsage>(`${USAGE} AND key_id = ?`).get(sinceMs, keyId);
    return [{ ...(row as KeyUsage), key_id: keyId }];
  }

  async tokensSince(keyId: string, sinceMs: number): Promise<number> {
    return this.tokens.get(keyId, sinceMs)?.tokens ?? 0;
  }

  async *iterate(): AsyncIterable<Record<string, unknown>> {
    for (const row of this.db.prepare<[], LogRow>("SELECT * FROM exchanges ORDER BY ts, chain, seq").iterate()) yield exchangeJson(row);
  }
}
