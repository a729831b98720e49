// The embedded default: one SQLite file in the data directory, one server (the directory's lock),
// limits in that server's memory.
import { MemoryLimits } from "../memory-limits.js";
import type { GatewayStore, LimitStore, LogWriter, WriterOptions } from "../store.js";
import { startCheckpointer, type Checkpointer } from "./checkpointer.js";
import type { SqliteDatabase } from "./database.js";
import { SqliteKeys } from "./sqlite-keys.js";
import { SqliteLogReader } from "./sqlite-log-reader.js";
import { SqliteLogWriter } from "./sqlite-log-writer.js";

export class SqliteStore implements GatewayStore {
  readonly kind = "sqlite";
  readonly keys;
  readonly reader;
  readonly limits: LimitStore;
  private readonly writers: LogWriter[] = [];
  private checkpointer: Checkpointer | null = null;

  /** `owned`: close() also closes the database. */
  constructor(readonly db: SqliteDatabase, private readonly owned = true, private readonly now: () => number = Date.now) {
    this.keys = new SqliteKeys(db);
    this.reader = new SqliteLogReader(db);
    this.limits = new MemoryLimits((keyId, since) => this.reader.tokensSince(keyId, since));
  }

  async openWriter(chain: string, options: WriterOptions = {}): Promise<LogWriter> {
    // A server's writer moves WAL checkpoints off its event loop (see checkpointer.ts).
    this.checkpointer ??= startCheckpointer(this.db);
    const writer = new SqliteLogWriter(this.db, chain, this.now, options.othersInFlight);
    this.writers.push(writer);
    return writer;
  }

  async close(): Promise<void> {
    for (const writer of this.writers) await writer.close();
    await this.checkpointer?.stop();
    await this.limits.close();
    if (this.owned && this.db.open) this.db.close();
  }
}
