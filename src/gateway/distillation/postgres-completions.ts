// The stored-completion index in PostgreSQL (distillation_stored_completions): a completion stored
// through one replica is listed, updated and deleted through any other; its exchange row is already
// in the shared log. Deleting removes the index row only; the log keeps the exchange.
import type pg from "pg";
import type { StoredCompletionState } from "./distillation-state.js";
import type { StoredCompletion } from "./stored-completion-types.js";

export class PostgresCompletions implements StoredCompletionState {
  constructor(private readonly pool: pg.Pool) {}

  async add(entry: StoredCompletion): Promise<void> {
    await this.pool.query("INSERT INTO distillation_stored_completions (id, key_id, entry) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING", [entry.id, entry.key_id, JSON.stringify(entry)]);
  }

  async list(keyId: string): Promise<StoredCompletion[]> {
    const { rows } = await this.pool.query<{ entry: StoredCompletion }>("SELECT entry FROM distillation_stored_completions WHERE key_id = $1 ORDER BY seq", [keyId]);
    return rows.map((row) => row.entry);
  }

  async get(keyId: string, id: string): Promise<StoredCompletion | null> {
    const { rows } = await this.pool.query<{ entry: StoredCompletion }>("SELECT entry FROM distillation_stored_completions WHERE id = $1 AND key_id = $2", [id, keyId]);
    return rows[0]?.entry ?? null;
  }

  async update(id: string, metadata: Record<string, string>): Promise<void> {
    await this.pool.query("UPDATE distillation_stored_completions SET entry = jsonb_set(entry, '{metadata}', $2::jsonb) WHERE id = $1", [id, JSON.stringify(metadata)]);
  }

  async delete(id: string): Promise<void> {
    await this.pool.query("DELETE FROM distillation_stored_completions WHERE id = $1", [id]);
  }
}
