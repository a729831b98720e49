// PostgreSQL helpers of the distillation state: transactions are the store's; leases read the server's clock.
export { inTransaction } from "../store/postgres/postgres-database.js";

/** The database server's clock in milliseconds: leases compare against one clock, whatever the replicas' say. */
export const DB_NOW_MS = "(extract(epoch from clock_timestamp()) * 1000)::bigint";
