// Batches in PostgreSQL, shared by every replica: the batch document (distillation_batches), each
// answered request (distillation_batch_results, one row per custom_id, so a request is recorded once
// whatever happens), and a lease: a replica claims the oldest unfinished batch with
// FOR UPDATE SKIP LOCKED and renews its lease while it runs; a replica that dies stops renewing, and
// once the lease expires another takes the batch over, going on after the answers already recorded.
import type pg from "pg";
import { BATCH_ID, keepCancel, newBatchId, UNFINISHED_BATCH } from "./batch-ids.js";
import type { BatchResultLine, StoredBatch } from "./batch-types.js";
import { notFound } from "./distillation-errors.js";
import type { BatchState, ResultKind } from "./distillation-state.js";
import { DB_NOW_MS, inTransaction } from "./postgres-transaction.js";
import { queuedAtMs } from "./queue-order.js";

const UNFINISHED = `(${UNFINISHED_BATCH.map((status) => `'${status}'`).join(", ")})`;

export class PostgresBatches implements BatchState {
  constructor(private readonly pool: pg.Pool) {}

  newId(): string {
    return newBatchId();
  }

  async save(batch: StoredBatch): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      const stored = (await client.query<{ doc: string }>("SELECT doc FROM distillation_batches WHERE id = $1 FOR UPDATE", [batch.id])).rows[0];
      const before = stored ? (JSON.parse(stored.doc) as StoredBatch) : null;
      const saved: StoredBatch = { ...batch, status: keepCancel(before?.status, batch.status), cancelling_at: batch.cancelling_at ?? before?.cancelling_at ?? null };
      await client.query(
        `INSERT INTO distillation_batches (id, key_id, created_ms, status, doc) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, doc = EXCLUDED.doc`,
        [saved.id, saved.key_id, queuedAtMs(saved), saved.status, JSON.stringify(saved)]);
    });
  }

  async get(keyId: string | null, id: string): Promise<StoredBatch> {
    const row = BATCH_ID.test(id) ? (await this.pool.query<{ doc: string }>("SELECT doc FROM distillation_batches WHERE id = $1", [id])).rows[0] : undefined;
    const batch = row ? (JSON.parse(row.doc) as StoredBatch) : null;
    if (!batch || (keyId !== null && batch.key_id !== keyId)) throw notFound("batch", id, "batch_id");
    return batch;
  }

  async list(keyId: string): Promise<StoredBatch[]> {
    const { rows } = await this.pool.query<{ doc: string }>("SELECT doc FROM distillation_batches WHERE key_id = $1 ORDER BY created_ms, id", [keyId]);
    return rows.map((row) => JSON.parse(row.doc) as StoredBatch);
  }

  async append(id: string, kind: ResultKind, line: BatchResultLine): Promise<void> {
    await this.pool.query("INSERT INTO distillation_batch_results (batch_id, custom_id, kind, line) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING", [id, line.custom_id, kind, JSON.stringify(line)]);
  }

  async results(id: string, kind: ResultKind): Promise<BatchResultLine[]> {
    const { rows } = await this.pool.query<{ line: string }>("SELECT line FROM distillation_batch_results WHERE batch_id = $1 AND kind = $2 ORDER BY seq", [id, kind]);
    return rows.map((row) => JSON.parse(row.line) as BatchResultLine);
  }

  async claim(owner: string, leaseMs: number): Promise<StoredBatch | null> {
    const { rows } = await this.pool.query<{ doc: string }>(
      `UPDATE distillation_batches SET lease_owner = $1, lease_until = ${DB_NOW_MS} + $2
       WHERE id = (SELECT id FROM distillation_batches WHERE status IN ${UNFINISHED} AND (lease_owner IS NULL OR lease_owner = $1 OR lease_until < ${DB_NOW_MS})
                   ORDER BY created_ms, id LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING doc`, [owner, leaseMs]);
    return rows[0] ? (JSON.parse(rows[0].doc) as StoredBatch) : null;
  }

  async renew(id: string, owner: string, leaseMs: number): Promise<StoredBatch | null> {
    const { rows } = await this.pool.query<{ doc: string }>(`UPDATE distillation_batches SET lease_until = ${DB_NOW_MS} + $3 WHERE id = $1 AND lease_owner = $2 RETURNING doc`, [id, owner, leaseMs]);
    return rows[0] ? (JSON.parse(rows[0].doc) as StoredBatch) : null;
  }

  async release(id: string, owner: string): Promise<void> {
    await this.pool.query("UPDATE distillation_batches SET lease_owner = NULL, lease_until = 0 WHERE id = $1 AND lease_owner = $2", [id, owner]);
  }

  async requestCancel(keyId: string, id: string, atSeconds: number): Promise<StoredBatch> {
    return inTransaction(this.pool, async (client) => {
      const row = BATCH_ID.test(id) ? (await client.query<{ doc: string }>("SELECT doc FROM distillation_batches WHERE id = $1 FOR UPDATE", [id])).rows[0] : undefined;
      const batch = row ? (JSON.parse(row.doc) as StoredBatch) : null;
      if (!batch || batch.key_id !== keyId) throw notFound("batch", id, "batch_id");
      if (!UNFINISHED_BATCH.includes(batch.status) || batch.status === "cancelling") return batch;
      const cancelling: StoredBatch = { ...batch, status: "cancelling", cancelling_at: atSeconds };
      await client.query("UPDATE distillation_batches SET status = 'cancelling', doc = $2 WHERE id = $1", [id, JSON.stringify(cancelling)]);
      return cancelling;
    });
  }
}
