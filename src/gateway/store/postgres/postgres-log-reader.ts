// Reading the log on PostgreSQL: every chain verified from its anchor to its head, retention,
// queries, usage, and the export merged by time. Long reads page through the rows by key so memory
// stays flat however large the log is.
import type pg from "pg";
import { ChainVerifier, verifyResult } from "../chain-verifier.js";
import { GENESIS_HASH, type LogRow } from "../hash-chain.js";
import { exchangeJson, normalizeRow, queryFilter } from "../log-rows.js";
import { badCursor } from "../store-errors.js";
import { inTransaction } from "./postgres-database.js";
import type { ChainVerifyResult, ExchangeQuery, KeyUsage, LogReader, RowRef, UsageBucket, UsageBucketQuery, VerifyResult } from "../store.js";

const PAGE = 2000;
const PRUNE_BATCH = 5000;

interface ChainState {
  chain: string;
  head_seq: string;
  head_hash: string;
  anchor_seq: string;
  anchor_hash: string;
}

const USAGE = `SELECT key_id, COUNT(*)::int AS requests, COALESCE(SUM(prompt_tokens), 0)::int AS prompt_tokens,
  COALESCE(SUM(completion_tokens), 0)::int AS completion_tokens, COALESCE(SUM(total_tokens), 0)::int AS total_tokens
  FROM exchanges WHERE kind = 'exchange' AND ts >= $1`;

// BIGINT division truncates, so a non-negative offset divided by the width is the bucket's index.
const USAGE_BUCKETS = `SELECT key_id, ((ts - $1) / $3)::int AS slot, COUNT(*)::int AS requests, COUNT(*) FILTER (WHERE decision LIKE 'denied:%')::int AS denied,
  COALESCE(SUM(total_tokens), 0)::bigint AS total_tokens
  FROM exchanges WHERE kind = 'exchange' AND ts >= $1 AND ts < $2 GROUP BY key_id, slot ORDER BY key_id, slot`;

export class PostgresLogReader implements LogReader {
  constructor(private readonly pool: pg.Pool) {}

  async verify(): Promise<VerifyResult> {
    // One REPEATABLE READ snapshot: the replicas keep appending while the chains are read.
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      const states = new Map((await client.query<ChainState>("SELECT * FROM chains")).rows.map((state) => [state.chain, state]));
      for (const { chain } of (await client.query<{ chain: string }>("SELECT DISTINCT chain FROM exchanges")).rows) {
        if (!states.has(chain)) states.set(chain, { chain, head_seq: "-1", head_hash: "", anchor_seq: "0", anchor_hash: GENESIS_HASH });
      }
      const results: ChainVerifyResult[] = [];
      for (const state of [...states.values()].sort((a, b) => a.chain.localeCompare(b.chain))) results.push(await verifyChain(client, state));
      await client.query("COMMIT");
      return verifyResult(results);
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * Chain by chain, in short transactions of at most `batch` rows, each holding only its chain's
   * row: a replica appending to a chain waits for one batch at most, never for the whole prune.
   */
  async prune(cutoffMs: number, batch = PRUNE_BATCH): Promise<number> {
    let removed = 0;
    for (const { chain } of (await this.pool.query<{ chain: string }>("SELECT chain FROM chains ORDER BY chain")).rows) {
      // The first row to keep, fixed once: rows appended meanwhile are newer still.
      const firstKept = (await this.pool.query<{ seq: string | null }>("SELECT MIN(seq) AS seq FROM exchanges WHERE chain = $1 AND ts >= $2", [chain, cutoffMs])).rows[0]?.seq;
      const bound = firstKept !== null && firstKept !== undefined ? Number(firstKept) : Number((await this.pool.query<{ seq: string | null }>("SELECT MAX(seq) AS seq FROM exchanges WHERE chain = $1", [chain])).rows[0]?.seq ?? 0) + 1;
      for (;;) {
        const deleted = await this.pruneBatch(chain, bound, batch);
        removed += deleted;
        if (deleted < batch) break;
      }
    }
    return removed;
  }

  private pruneBatch(chain: string, bound: number, batch: number): Promise<number> {
    return inTransaction(this.pool, async (client) => {
      await client.query("SELECT 1 FROM chains WHERE chain = $1 FOR UPDATE", [chain]);
      const rows = (await client.query<{ seq: string; hash: string }>("SELECT seq, hash FROM exchanges WHERE chain = $1 AND seq < $2 ORDER BY seq LIMIT $3", [chain, bound, batch])).rows;
      const last = rows.at(-1);
      if (!last) return 0;
      const deleted = (await client.query("DELETE FROM exchanges WHERE chain = $1 AND seq <= $2", [chain, last.seq])).rowCount ?? 0;
      await client.query("UPDATE chains SET anchor_seq = $1, anchor_hash = $2 WHERE chain = $3", [last.seq, last.hash, chain]);
      return deleted;
    });
  }

  async query(query: ExchangeQuery = {}): Promise<Record<string, unknown>[]> {
    const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
    if (query.cursor !== undefined) return this.queryInCommitOrder(query, limit);
    const { where, values } = queryFilter(query);
    let n = 0;
    const text = `SELECT * FROM exchanges WHERE ${where} ORDER BY id LIMIT ?`.replace(/\?/g, () => `$${++n}`);
    return (await this.pool.query<LogRow>(text, [...values, limit])).rows.map((row) => exchangeJson(row));
  }

  /**
   * Rows in the order of their writing transactions' ids, only those older than every transaction
   * still open (the snapshot's xmin): whatever commits later has a larger id than any row returned,
   * so a reader that continues from the last cursor skips nothing. The cursor is "txid.id".
   */
  private async queryInCommitOrder(query: ExchangeQuery, limit: number): Promise<Record<string, unknown>[]> {
    const match = /^(\d+)\.(\d+)$/.exec(query.cursor!);
    if (query.cursor !== "" && !match) throw badCursor(query.cursor!);
    const { where, values } = queryFilter(query, false);
    let n = 0;
    const text = `SELECT *, txid::text AS txid_text FROM exchanges WHERE ${where} AND (txid, id) > (?::text::xid8, ?::bigint)
      AND txid < pg_snapshot_xmin(pg_current_snapshot()) ORDER BY txid, id LIMIT ?`.replace(/\?/g, () => `$${++n}`);
    const rows = (await this.pool.query<LogRow & { txid_text: string }>(text, [...values, match?.[1] ?? "0", match?.[2] ?? "0", limit])).rows;
    return rows.map(({ txid_text, ...row }) => exchangeJson(row, `${txid_text}.${Number(row.id)}`));
  }

  async row(ref: RowRef): Promise<Record<string, unknown> | null> {
    const row = (await this.pool.query<LogRow>("SELECT * FROM exchanges WHERE chain = $1 AND seq = $2", [ref.chain, ref.seq])).rows[0];
    return row ? exchangeJson(row) : null;
  }

  async usageBuckets(query: UsageBucketQuery): Promise<UsageBucket[]> {
    const rows = (await this.pool.query<UsageBucket & { total_tokens: string | number }>(USAGE_BUCKETS, [query.sinceMs, query.untilMs, query.bucketMs])).rows;
    return rows.map((row) => ({ ...row, total_tokens: Number(row.total_tokens) }));
  }

  async usage(sinceMs: number, keyId?: string): Promise<KeyUsage[]> {
    if (keyId === undefined) return (await this.pool.query<KeyUsage>(`${USAGE} GROUP BY key_id ORDER BY key_id`, [sinceMs])).rows;
    const row = (await this.pool.query<KeyUsage>(`${USAGE} AND key_id = $2 GROUP BY key_id`, [sinceMs, keyId])).rows[0];
    return [row ?? { key_id: keyId, requests: 0, prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 }];
  }

  async tokensSince(keyId: string, sinceMs: number): Promise<number> {
    const row = (await this.pool.query<{ tokens: string }>("SELECT COALESCE(SUM(total_tokens), 0) AS tokens FROM exchanges WHERE key_id = $1 AND ts >= $2 AND kind = 'exchange'", [keyId, sinceMs])).rows[0];
    return Number(row?.tokens ?? 0);
  }

  async *iterate(): AsyncIterable<Record<string, unknown>> {
    // One REPEATABLE READ snapshot for the whole export, paged by (ts, chain, seq), its order: the
    // replicas keep appending, and every page shows the log as of the export's start.
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      let after: [number, string, number] = [-1, "", 0];
      for (;;) {
        const rows = (await client.query<LogRow>("SELECT * FROM exchanges WHERE (ts, chain, seq) > ($1, $2, $3) ORDER BY ts, chain, seq LIMIT $4", [...after, PAGE])).rows.map(normalizeRow);
        for (const row of rows) yield exchangeJson(row);
        if (rows.length < PAGE) break;
        const last = rows[rows.length - 1]!;
        after = [last.ts, last.chain, last.seq];
      }
      await client.query("COMMIT");
    } finally {
      // An export stopped early (or failed) ends its transaction here.
      await client.query("ROLLBACK").catch(() => undefined);
      client.release();
    }
  }
}

async function verifyChain(client: pg.PoolClient, state: ChainState): Promise<ChainVerifyResult> {
  const verifier = new ChainVerifier(state.chain, { seq: Number(state.anchor_seq), hash: state.anchor_hash });
  let after = -1;
  for (;;) {
    const rows = (await client.query<LogRow>("SELECT * FROM exchanges WHERE chain = $1 AND seq > $2 ORDER BY seq LIMIT $3", [state.chain, after, PAGE])).rows.map(normalizeRow);
    let going = true;
    for (const row of rows) if (!(going = verifier.push(row))) break;
    if (!going || rows.length < PAGE) break;
    after = rows[rows.length - 1]!.seq;
  }
  const unknown = state.head_seq === "-1";
  const result = verifier.finish(unknown ? null : { seq: Number(state.head_seq), hash: state.head_hash });
  return unknown && result.ok ? { ...result, ok: false, first_bad_row: 1, reason: `chain ${state.chain} was added outside the log writer (no recorded head)` } : result;
}
