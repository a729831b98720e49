// The exchange log writer on SQLite. Appends are grouped: every append made in one turn of the event
// loop is inserted in one transaction (group commit), and each caller's promise resolves only after
// that transaction has committed, so a 200 is sent only for an exchange that is durably in the log.
// When a reply waits on the commit and nothing else is in flight, there is no one to wait for: the
// group is the appends of the current run, committed in a microtask (a turn of the loop later would
// also let node:http's socket bookkeeping run first, on the reply's path).
import { chainRows, eventContent, exchangeContent, GENESIS_HASH, type ChainPoint, type ExchangeEntry, type LogEvent, type RowContent } from "../hash-chain.js";
import { logClosed } from "../store-errors.js";
import type { AppendOptions, LogWriter } from "../store.js";
import type { SqliteDatabase } from "./database.js";

interface Pending {
  content: RowContent;
  resolve: (seq: number) => void;
  reject: (error: unknown) => void;
}

export const ROW_COLUMNS = "chain, seq, kind, format, ts, key_id, model, request, response, prompt_tokens, completion_tokens, total_tokens, latency_ms, status, finish_reason, watermark_key_id, decision, distillation_licensed, event_type, payload, prev_hash, hash";

export class SqliteLogWriter implements LogWriter {
  private pending: Pending[] = [];
  private scheduled = false;
  private closed = false;
  private readonly commitBatch;
  committed = 0;

  constructor(
    private readonly db: SqliteDatabase,
    readonly chain: string,
    private readonly now: () => number = Date.now,
    private readonly othersInFlight: () => boolean = () => true,
  ) {
    const insert = db.prepare(`INSERT INTO exchanges (${ROW_COLUMNS}) VALUES (${ROW_COLUMNS.split(", ").map((name) => `@${name}`).join(", ")})`);
    const readHead = db.prepare<[string], ChainPoint>("SELECT head_seq AS seq, head_hash AS hash FROM chains WHERE chain = ?");
    const writeHead = db.prepare(`INSERT INTO chains (chain, head_seq, head_hash, anchor_seq, anchor_hash) VALUES (?, ?, ?, 0, '${GENESIS_HASH}')
      ON CONFLICT(chain) DO UPDATE SET head_seq = excluded.head_seq, head_hash = excluded.head_hash`);
    // The head is read inside the (immediate) transaction, so two writers on one file still chain.
    this.commitBatch = db.transaction((batch: Pending[]) => {
      const head = readHead.get(chain) ?? { seq: 0, hash: GENESIS_HASH };
      const rows = chainRows(chain, head, batch.map((item) => item.content));
      for (const row of rows) insert.run(row);
      const last = rows[rows.length - 1]!;
      writeHead.run(chain, last.seq, last.hash);
      return rows.map((row) => row.seq);
    });
  }

  append(entry: ExchangeEntry, options: AppendOptions = {}): Promise<number> {
    return this.enqueue(exchangeContent(entry), options.replyWaits === true);
  }

  appendEvent(event: LogEvent): Promise<number> {
    return this.enqueue(eventContent(event, this.now()));
  }

  private enqueue(content: RowContent, replyWaits = false): Promise<number> {
    if (this.closed) return Promise.reject(logClosed());
    return new Promise((resolve, reject) => {
      this.pending.push({ content, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        if (replyWaits && !this.othersInFlight()) queueMicrotask(() => this.flush());
        else setImmediate(() => this.flush());
      }
    });
  }

  /** Commits everything queued now (also called on close). */
  flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    let seqs: number[];
    try {
      seqs = this.commitBatch.immediate(batch);
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    this.committed += batch.length;
    batch.forEach((item, index) => item.resolve(seqs[index]!));
  }

  async close(): Promise<void> {
    this.flush();
    this.closed = true;
  }
}
