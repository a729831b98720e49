// Gateway configuration: a YAML or JSON file validated with zod, overlaid by environment variables.
// Field names in the file are snake_case; errors name the field that is wrong.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { extname, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { listBuiltinModels } from "../models/builtin-models.js";
import { GatewayError } from "./errors.js";
import { defencesSchema } from "./defence-config.js";

const limitsSchema = z.strictObject({
  /** Largest accepted request body; bigger bodies get 413. */
  body_bytes: z.number().int().positive().default(1 << 20),
  /** A backend that takes longer than this gets 504. */
  upstream_timeout_ms: z.number().int().positive().default(120_000),
  /** How long a graceful shutdown waits for requests in flight. */
  shutdown_timeout_ms: z.number().int().nonnegative().default(30_000),
  /** Retries of a failed HTTP upstream call (429/5xx/connection) before the client gets the error.
   *  Default 0: the gateway passes the upstream's status on and its client, which retries anyway, is
   *  the one layer that retries (two layers would multiply the requests). */
  upstream_retries: z.number().int().min(0).max(5).default(0),
});

const logSchema = z.strictObject({
  /** Rows older than this many days are pruned (the chain keeps an anchor); null keeps everything. */
  retention_days: z.number().positive().nullable().default(null),
  /** "process": a 200 means the row survives a crash of the server (WAL, synchronous=NORMAL);
   *  "power": it also survives power loss (synchronous=FULL, one fsync per group commit). */
  durability: z.enum(["process", "power"]).default("process"),
});

const watermarkSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** The gateway's secret watermark key; created on first start when missing. */
  key_file: z.string().optional(),
  scheme: z.string().default("kgw"),
});

const modelEntrySchema = z.strictObject({
  reference: z.string().min(1),
  /** Environment variable with the API key for an HTTP upstream (default PEDIGREE_API_KEY). */
  api_key_env: z.string().min(1).optional(),
});

export type ModelEntry = z.infer<typeof modelEntrySchema>;

const storageSchema = z.strictObject({
  /** PostgreSQL URL (postgres://user:pass@host:5432/db): keys and the log shared by replicas. */
  postgres: z.string().regex(/^postgres(ql)?:\/\//, "expected a postgres:// URL").optional(),
  /** Redis URL (redis://host:6379): rate limits and quotas shared by replicas. */
  redis: z.string().regex(/^rediss?:\/\//, "expected a redis:// URL").optional(),
  /** Prefix of every Redis key the gateway writes. */
  redis_prefix: z.string().min(1).default("pedigree:"),
});

export const configSchema = z.strictObject({
  host: z.string().default("127.0.0.1"),
  port: z.number().int().min(0).max(65535).default(8787),
  /** Data directory (database, watermark key). Default ./.pedigree or PEDIGREE_HOME. */
  data: z.string().optional(),
  /** Served name → model reference (`atlas`, `./m.gguf`, `http://host:port/v1#model`, …), or
   *  `{ reference, api_key_env }` to name the environment variable holding that upstream's key. */
  models: z.record(z.string().min(1), z.union([z.string().min(1), modelEntrySchema])).optional(),
  limits: limitsSchema.prefault({}),
  log: logSchema.prefault({}),
  watermark: watermarkSchema.prefault({}),
  /** Storage: SQLite in the data directory unless `postgres` is given (PEDIGREE_DATABASE_URL). */
  storage: storageSchema.prefault({}),
  /** This server's replica id: the name of its chain in the log. Default: host name + a digest of
   *  the data directory. PEDIGREE_REPLICA or `serve --replica` set it too. */
  replica: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, "letters, digits, '.', '_' and '-' only (at most 100)").optional(),
  defences: defencesSchema.prefault({}),
  /** SHA-256 (hex) of the admin key; PEDIGREE_ADMIN_KEY gives the key itself. */
  admin_key_sha256: z.string().regex(/^[0-9a-f]{64}$/, "expected 64 lowercase hex digits").optional(),
  /** SHA-256 (hex) of a token that may read GET /metrics only; PEDIGREE_METRICS_TOKEN gives the token itself. */
  metrics_token_sha256: z.string().regex(/^[0-9a-f]{64}$/, "expected 64 lowercase hex digits").optional(),
});

export type GatewayConfig = z.infer<typeof configSchema>;
export type GatewayConfigInput = z.input<typeof configSchema>;

export function configError(message: string): GatewayError {
  return new GatewayError("CONFIG_INVALID", message, { status: 500, type: "server_error" });
}

/** Validates an already-parsed config object; `source` names it in error messages. */
export function parseConfig(raw: unknown, source = "config"): GatewayConfig {
  const result = configSchema.safeParse(raw ?? {});
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const field = issue.path.length > 0 ? issue.path.join(".") : "(top level)";
    return `field '${field}': ${issue.message}`;
  });
  throw configError(`${source}: ${lines.join("; ")}. Fix the file and start again.`);
}

export function loadConfigFile(path: string): GatewayConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw configError(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = extname(path).toLowerCase() === ".json" ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw configError(`config file ${path} is not valid ${extname(path) === ".json" ? "JSON" : "YAML"}: ${(error as Error).message}`);
  }
  return parseConfig(raw, path);
}

/** Environment overrides: PEDIGREE_HOME (data), PEDIGREE_HOST, PEDIGREE_PORT, PEDIGREE_DATABASE_URL,
 *  PEDIGREE_REDIS_URL, PEDIGREE_REPLICA (each checked like the config field), PEDIGREE_METRICS_TOKEN. */
export function applyEnvironment(config: GatewayConfig, env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const next = { ...config, storage: { ...config.storage } };
  if (env.PEDIGREE_DATABASE_URL) next.storage.postgres = env.PEDIGREE_DATABASE_URL;
  if (env.PEDIGREE_REDIS_URL) next.storage.redis = env.PEDIGREE_REDIS_URL;
  if (env.PEDIGREE_REPLICA) next.replica = env.PEDIGREE_REPLICA;
  if (env.PEDIGREE_DATABASE_URL || env.PEDIGREE_REDIS_URL || env.PEDIGREE_REPLICA) parseConfig({ storage: next.storage, replica: next.replica }, "environment (PEDIGREE_DATABASE_URL, PEDIGREE_REDIS_URL, PEDIGREE_REPLICA)");
  if (env.PEDIGREE_HOME && !next.data) next.data = env.PEDIGREE_HOME;
  if (env.PEDIGREE_HOST) next.host = env.PEDIGREE_HOST;
  if (env.PEDIGREE_METRICS_TOKEN) next.metrics_token_sha256 = createHash("sha256").update(env.PEDIGREE_METRICS_TOKEN).digest("hex");
  if (env.PEDIGREE_PORT) {
    const port = Number(env.PEDIGREE_PORT);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw configError(`PEDIGREE_PORT must be a port number, got '${env.PEDIGREE_PORT}'`);
    next.port = port;
  }
  return next;
}

export function dataDirectory(config: GatewayConfig, cwd = process.cwd()): string {
  return resolve(cwd, config.data ?? ".pedigree");
}

/** With no `models` in the config: every built-in model (GGUF files in the package's `models/`). */
export function builtinModelMap(): Record<string, string> {
  return Object.fromEntries(listBuiltinModels().map((model) => [model.name, model.name]));
}
