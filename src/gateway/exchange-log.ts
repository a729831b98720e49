// The exchange log writer. Appends are grouped: every append made in one turn of the event loop is
// inserted in one transaction (group commit), and each caller's promise resolves only after that
// transaction has committed, so a 200 is sent only for an exchange that is durably in the log.
import type { SqliteDatabase } from "./database.js";
import { GatewayError } from "./errors.js";
import { GENESIS_HASH, rowHash, type ExchangeRow } from "./hash-chain.js";

export type ExchangeEntry = Omit<ExchangeRow, "id" | "prev_hash" | "hash">;

interface Pending {
  entry: ExchangeEntry;
  resolve: (id: number) => void;
  reject: (error: unknown) => void;
}

export class ExchangeLog {
  private pending: Pending[] = [];
  private scheduled = false;
  private closed = false;
  private readonly insert;
  private readonly readHead;
  private readonly writeHead;
  private readonly commitBatch;
  /** Rows committed by this writer since it opened. */
  committed = 0;

  constructor(private readonly db: SqliteDatabase) {
    this.insert = db.prepare(
      `INSERT INTO exchanges (id, ts, key_id, model, request, response, prompt_tokens, completion_tokens, total_tokens,
        latency_ms, status, finish_reason, watermark_key_id, decision, distillation_licensed, prev_hash, hash)
       VALUES (@id, @ts, @key_id, @model, @request, @response, @prompt_tokens, @completion_tokens, @total_tokens,
        @latency_ms, @status, @finish_reason, @watermark_key_id, @decision, @distillation_licensed, @prev_hash, @hash)`,
    );
    // Primary-key lookups: an IN (…) ORDER BY query here cost more than the insert itself. Retention
    // moves the anchor only up to an existing row, so the head, when there is one, is never behind it.
    this.readHead = db.prepare<[string], { row_id: number; hash: string }>("SELECT row_id, hash FROM chain_state WHERE name = ?");
    this.writeHead = db.prepare("INSERT INTO chain_state (name, row_id, hash) VALUES ('head', ?, ?) ON CONFLICT(name) DO UPDATE SET row_id = excluded.row_id, hash = excluded.hash");
    // The head is read inside the (immediate) transaction, so two writers on one file still chain.
    this.commitBatch = db.transaction((batch: Pending[]) => {
      const head = this.readHead.get("head") ?? this.readHead.get("anchor") ?? { row_id: 0, hash: GENESIS_HASH };
      let id = head.row_id;
      let prev = head.hash;
      const ids: number[] = [];
      for (const { entry } of batch) {
        id += 1;
        const row = { ...entry, id, prev_hash: prev };
        const hash = rowHash(row);
        this.insert.run({ ...row, hash });
        ids.push(id);
        prev = hash;
      }
      this.writeHead.run(id, prev);
      return ids;
    });
  }

  /** Resolves with the row id once the row is committed. */
  append(entry: ExchangeEntry): Promise<number> {
    if (this.closed) return Promise.reject(new GatewayError("SHUTTING_DOWN", "The gateway is shutting down and its exchange log is closed; retry on another instance.", { status: 503, type: "server_error" }));
    return new Promise((resolve, reject) => {
      this.pending.push({ entry, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /**
   * Appends an event (a monitor alert, an action on a key) as a chained row, so `log verify` covers
   * it: model "" marks a row that is not an exchange, `decision` is "event:<type>", and the key goes
   * in the request JSON rather than key_id, so the key's usage and its own /v1/exchanges (which it
   * can read) never show that it was flagged.
   */
  appendEvent(event: { type: string; key_id: string | null; payload: unknown }, ts = Date.now()): Promise<number> {
    return this.append({
      ts, key_id: null, model: "", request: JSON.stringify({ event: event.type, key_id: event.key_id, payload: event.payload }), response: "",
      prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, latency_ms: 0, status: 0, finish_reason: null, watermark_key_id: null,
      decision: `event:${event.type}`, distillation_licensed: 0,
    });
  }

  /** Commits everything queued now (also called on close). */
  flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    let ids: number[];
    try {
      ids = this.commitBatch.immediate(batch);
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    this.committed += batch.length;
    batch.forEach((item, index) => item.resolve(ids[index]!));
  }

  close(): void {
    this.flush();
    this.closed = true;
  }
}
