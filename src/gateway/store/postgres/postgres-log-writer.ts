// One replica's log writer on PostgreSQL. Appends queue while a commit is in flight and go out
// together in the next one (group commit); each caller's promise resolves only after the statement
// that holds its row has committed. A batch is ONE statement: it moves the chain's head from the
// head this writer knows (compare-and-set) and inserts the rows only if that succeeded, so a second
// process writing the same chain can never fork it; on a mismatch the writer rereads the head and
// chains the batch again.
import type pg from "pg";
import { GatewayError } from "../../errors.js";
import { chainRows, eventContent, exchangeContent, GENESIS_HASH, type ChainPoint, type ExchangeEntry, type LogEvent, type LogRow, type RowContent } from "../hash-chain.js";
import { logClosed } from "../store-errors.js";
import type { LogWriter } from "../store.js";

interface Pending {
  content: RowContent;
  resolve: (seq: number) => void;
  reject: (error: unknown) => void;
}

type Column = { name: Exclude<keyof LogRow, "id" | "chain">; type: string };
const COLUMNS: Column[] = [
  ["seq", "bigint"], ["kind", "text"], ["format", "integer"], ["ts", "bigint"], ["key_id", "text"], ["model", "text"], ["request", "text"],
  ["response", "text"], ["prompt_tokens", "integer"], ["completion_tokens", "integer"], ["total_tokens", "integer"], ["latency_ms", "double precision"],
  ["status", "integer"], ["finish_reason", "text"], ["watermark_key_id", "text"], ["decision", "text"], ["distillation_licensed", "integer"],
  ["event_type", "text"], ["payload", "text"], ["prev_hash", "text"], ["hash", "text"],
].map(([name, type]) => ({ name: name as Column["name"], type: type! }));

// $1 chain, $2 new head seq, $3 new head hash, $4 the head seq this writer chained from; then one array per column.
const INSERT_BATCH = `
WITH head AS (UPDATE chains SET head_seq = $2, head_hash = $3 WHERE chain = $1 AND head_seq = $4 RETURNING 1)
INSERT INTO exchanges (chain, ${COLUMNS.map((column) => column.name).join(", ")})
SELECT $1, u.* FROM unnest(${COLUMNS.map((column, i) => `$${i + 5}::${column.type}[]`).join(", ")}) AS u
WHERE EXISTS (SELECT 1 FROM head)`;

const MAX_ATTEMPTS = 5;

export class PostgresLogWriter implements LogWriter {
  private pending: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private head: ChainPoint | null = null;
  private closed = false;
  committed = 0;

  constructor(private readonly pool: pg.Pool, readonly chain: string, private readonly now: () => number = Date.now) {}

  /** Makes sure the chain has its row in `chains` (a new replica starts at the genesis point). */
  async open(): Promise<this> {
    await this.pool.query(`INSERT INTO chains (chain, head_seq, head_hash, anchor_seq, anchor_hash) VALUES ($1, 0, '${GENESIS_HASH}', 0, '${GENESIS_HASH}') ON CONFLICT (chain) DO NOTHING`, [this.chain]);
    await this.readHead();
    return this;
  }

  private async readHead(): Promise<ChainPoint> {
    const row = (await this.pool.query<{ seq: string; hash: string }>("SELECT head_seq AS seq, head_hash AS hash FROM chains WHERE chain = $1", [this.chain])).rows[0];
    if (!row) throw new GatewayError("LOG_FAILED", `chain ${this.chain} has no row in the chains table`, { status: 500, type: "server_error" });
    this.head = { seq: Number(row.seq), hash: row.hash };
    return this.head;
  }

  append(entry: ExchangeEntry): Promise<number> {
    return this.enqueue(exchangeContent(entry));
  }

  appendEvent(event: LogEvent): Promise<number> {
    return this.enqueue(eventContent(event, this.now()));
  }

  private enqueue(content: RowContent): Promise<number> {
    if (this.closed) return Promise.reject(logClosed());
    return new Promise((resolve, reject) => {
      this.pending.push({ content, resolve, reject });
      this.flushing ??= this.drain();
    });
  }

  /** Commits batches until the queue is empty; one statement in flight at a time keeps the chain's order. */
  private async drain(): Promise<void> {
    // Let the appends of this event-loop turn join the first batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        const seqs = await this.commit(batch.map((item) => item.content));
        this.committed += batch.length;
        batch.forEach((item, index) => item.resolve(seqs[index]!));
      } catch (error) {
        // The outcome is unknown (a lost connection may follow a commit): reread the head next time.
        this.head = null;
        for (const item of batch) item.reject(error);
      }
    }
    this.flushing = null;
  }

  private async commit(contents: RowContent[]): Promise<number[]> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const head = this.head ?? (await this.readHead());
      const rows = chainRows(this.chain, head, contents);
      const last = rows[rows.length - 1]!;
      // Named: each connection parses and plans the statement once.
      const result = await this.pool.query({ name: "pedigree_append", text: INSERT_BATCH, values: [this.chain, last.seq, last.hash, head.seq, ...COLUMNS.map((column) => rows.map((row) => row[column.name]))] });
      if (result.rowCount === rows.length) {
        this.head = { seq: last.seq, hash: last.hash };
        return rows.map((row) => row.seq);
      }
      // Another process moved this chain's head (two replicas given one --replica): chain after it.
      this.head = null;
    }
    throw new GatewayError("LOG_FAILED", `chain ${this.chain} keeps moving under this writer: is another gateway running with the same replica id?`, { status: 500, type: "server_error" });
  }

  async close(): Promise<void> {
    this.closed = true;
    while (this.flushing) await this.flushing;
  }
}
