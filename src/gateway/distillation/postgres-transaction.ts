// One PostgreSQL transaction on a pooled client: committed when `work` resolves, rolled back when it throws.
import type pg from "pg";

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

/** The database server's clock in milliseconds: leases compare against one clock, whatever the replicas' say. */
export const DB_NOW_MS = "(extract(epoch from clock_timestamp()) * 1000)::bigint";
