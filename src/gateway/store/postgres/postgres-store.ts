// Replicas on PostgreSQL: keys and the log in one database every replica shares, each replica on its
// own chain; limits in Redis when configured (atomic scripts), else in the database.
import type pg from "pg";
import { RedisLimits } from "../redis-limits.js";
import type { GatewayStore, LimitStore, LogWriter } from "../store.js";
import { openPool } from "./postgres-database.js";
import { PostgresKeys } from "./postgres-keys.js";
import { PostgresLimits } from "./postgres-limits.js";
import { PostgresLogReader } from "./postgres-log-reader.js";
import { PostgresLogWriter } from "./postgres-log-writer.js";

export interface PostgresStoreOptions {
  postgres: string;
  redis?: string;
  /** Namespace of the Redis keys (default `pedigree:`). */
  redisPrefix?: string;
  poolSize?: number;
  now?: () => number;
}

export class PostgresStore implements GatewayStore {
  readonly kind = "postgres";
  readonly keys;
  readonly reader;
  readonly limits: LimitStore;
  private readonly writers: LogWriter[] = [];

  private constructor(readonly pool: pg.Pool, private readonly options: PostgresStoreOptions, limits: (reader: PostgresLogReader) => LimitStore) {
    this.keys = new PostgresKeys(pool);
    this.reader = new PostgresLogReader(pool);
    this.limits = limits(this.reader);
  }

  /** Connects, migrates the schema (see postgres-database.ts) and reaches Redis when configured. */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const pool = await openPool(options.postgres, { max: options.poolSize });
    const reader = new PostgresLogReader(pool);
    try {
      const limits = options.redis ? await RedisLimits.connect(options.redis, (keyId, since) => reader.tokensSince(keyId, since), options.redisPrefix) : new PostgresLimits(pool);
      return new PostgresStore(pool, options, () => limits);
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
  }

  async openWriter(chain: string): Promise<LogWriter> {
    const writer = await new PostgresLogWriter(this.pool, chain, this.options.now).open();
    this.writers.push(writer);
    return writer;
  }

  async close(): Promise<void> {
    for (const writer of this.writers) await writer.close();
    await this.limits.close();
    await this.pool.end();
  }
}
