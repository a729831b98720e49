// The PostgreSQL connection pool, and the schema brought up to date at start. Replicas starting at
// once serialize on an advisory lock; a database migrated by a newer gateway is refused.
import pg from "pg";
import { GatewayError } from "../../errors.js";
import { refuseNewerSchema, SCHEMA_VERSION } from "../schema-version.js";
import { safeUrl, unreachable } from "../store-errors.js";
import { postgresMigrations } from "./postgres-migrations.js";

const MIGRATION_LOCK = 720_514_015;

export async function openPool(url: string, options: { max?: number } = {}): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
  // An idle client's error (the server restarting) must not crash the process; the pool replaces it.
  pool.on("error", () => undefined);
  try {
    await migratePostgres(pool, url);
  } catch (error) {
    await pool.end().catch(() => undefined);
    if (GatewayError.isInstance(error)) throw error;
    throw unreachable("PostgreSQL", url, error);
  }
  return pool;
}

export async function migratePostgres(pool: pg.Pool, url: string): Promise<number> {
  return inTransaction(pool, async (client) => {
    await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
    await client.query("CREATE TABLE IF NOT EXISTS pedigree_schema (version INTEGER NOT NULL)");
    const found = (await client.query<{ version: number }>("SELECT version FROM pedigree_schema")).rows[0]?.version ?? 0;
    refuseNewerSchema(found, `the database at ${safeUrl(url)}`);
    for (let version = found + 1; version <= SCHEMA_VERSION; version++) await client.query(postgresMigrations[version - 1]!);
    if (found === 0) await client.query("INSERT INTO pedigree_schema (version) VALUES ($1)", [SCHEMA_VERSION]);
    else if (found < SCHEMA_VERSION) await client.query("UPDATE pedigree_schema SET version = $1", [SCHEMA_VERSION]);
    return SCHEMA_VERSION;
  });
}

/** One transaction on a pooled client: committed when `work` resolves, rolled back when it throws. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
