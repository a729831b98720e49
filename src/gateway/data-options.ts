// Where the CLI finds the gateway's data: --data, else the config file's `data`, else PEDIGREE_HOME,
// else ./.pedigree. Shared by `pedigree serve`, `keys` and `log`.
import { existsSync } from "node:fs";
import { applyEnvironment, dataDirectory, loadConfigFile, parseConfig, type GatewayConfig } from "./config.js";
import { databasePath, openDatabase, type SqliteDatabase } from "./database.js";
import { GatewayError } from "./errors.js";

export interface DataOptions {
  data?: string;
  config?: string;
}

export function loadGatewayConfig(options: DataOptions, env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const config = applyEnvironment(options.config ? loadConfigFile(options.config) : parseConfig({}), env);
  return options.data ? { ...config, data: options.data } : config;
}

/** Opens the data directory's database; with `mustExist`, a missing log is an error, not a new file. */
export function openGatewayData(options: DataOptions, mustExist = false): { db: SqliteDatabase; dir: string; config: GatewayConfig } {
  const config = loadGatewayConfig(options);
  const dir = dataDirectory(config);
  if (mustExist && !existsSync(databasePath(dir))) {
    throw new GatewayError("LOG_NOT_FOUND", `no gateway data in ${dir}; pass --data DIR (or set PEDIGREE_HOME) to where 'pedigree serve' keeps it`, { status: 404, type: "not_found_error" });
  }
  return { db: openDatabase(dir, { durability: config.log.durability }), dir, config };
}
