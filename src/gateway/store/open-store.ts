// Which store a gateway (or a `pedigree keys` / `log` command) uses: PostgreSQL when the config has
// `storage.postgres` or PEDIGREE_DATABASE_URL is set, else the SQLite file in the data directory.
import { hostname } from "node:os";
import { createHash } from "node:crypto";
import { openDatabase, type Durability } from "./sqlite/database.js";
import { SqliteStore } from "./sqlite/sqlite-store.js";
import { PostgresStore } from "./postgres/postgres-store.js";
import type { GatewayStore } from "./store.js";

export interface StorageChoice {
  postgres?: string;
  redis?: string;
  redisPrefix?: string;
  dataDir: string;
  durability?: Durability;
  now?: () => number;
}

export async function openStore(choice: StorageChoice): Promise<GatewayStore> {
  if (choice.postgres) return PostgresStore.open({ postgres: choice.postgres, redis: choice.redis, redisPrefix: choice.redisPrefix, now: choice.now });
  return new SqliteStore(openDatabase(choice.dataDir, { durability: choice.durability }), true, choice.now);
}

/** The default replica id (the name of this server's chain): the host name and a digest of the data
 *  directory, so two servers on one machine, each with its own directory, get two chains. */
export function defaultReplicaId(dataDir: string): string {
  const host = hostname().replace(/[^A-Za-z0-9._-]/g, "-").slice(0, 40) || "host";
  return `${host}-${createHash("sha256").update(dataDir).digest("hex").slice(0, 8)}`;
}
