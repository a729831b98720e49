// Where the CLI finds the gateway's data: PostgreSQL when the config (or PEDIGREE_DATABASE_URL) names
// one; else the SQLite file in --data, else the config file's `data`, else PEDIGREE_HOME, else
// ./.pedigree. Shared by `pedigree serve`, `keys` and `log`.
import { existsSync } from "node:fs";
import { applyEnvironment, dataDirectory, loadConfigFile, parseConfig, type GatewayConfig } from "./config.js";
import { GatewayError } from "./errors.js";
import { openStore } from "./store/open-store.js";
import { databasePath } from "./store/sqlite/database.js";
import type { GatewayStore } from "./store/store.js";

export interface DataOptions {
  data?: string;
  config?: string;
}

export function loadGatewayConfig(options: DataOptions, env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const config = applyEnvironment(options.config ? loadConfigFile(options.config) : parseConfig({}), env);
  return options.data ? { ...config, data: options.data } : config;
}

/**
 * Who opens the data: "create" makes a new directory when there is none; "log" and "keys" need the
 * gateway's data to exist already and say where they looked, so a mistyped --data never starts an
 * empty directory.
 */
export type DataUse = "create" | "log" | "keys";

function missingData(dir: string, use: Exclude<DataUse, "create">, hint: string): GatewayError {
  const message = `no gateway data in ${dir}; pass --data DIR (or set PEDIGREE_HOME) to where 'pedigree serve' keeps it${hint}`;
  return new GatewayError(use === "log" ? "LOG_NOT_FOUND" : "DATA_DIR_NOT_FOUND", message, { status: 404, type: "not_found_error" });
}

/** Opens the gateway's store (see DataUse); `hint` ends the message when there is no SQLite data. */
export async function openGatewayStore(options: DataOptions, use: DataUse = "create", hint = ""): Promise<{ store: GatewayStore; dir: string; config: GatewayConfig }> {
  const config = loadGatewayConfig(options);
  const dir = dataDirectory(config);
  if (!config.storage.postgres && use !== "create" && !existsSync(databasePath(dir))) throw missingData(dir, use, hint);
  const store = await openStore({ postgres: config.storage.postgres, redis: config.storage.redis, redisPrefix: config.storage.redis_prefix, dataDir: dir, durability: config.log.durability });
  return { store, dir, config };
}
