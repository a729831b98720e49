// The gateway as a fetch-style app (standard Request → Response) on hono. Runtime adapters (see
// node-server.ts) only move bytes; everything the gateway decides happens here.
import { mkdirSync } from "node:fs";
import { Hono } from "hono";
import { requireKey } from "./auth.js";
import { Backends, defaultResolver, type ModelResolver, type ModelSource } from "./backends.js";
import { handleChatCompletions } from "./chat-completions.js";
import { parseConfig, type GatewayConfigInput } from "./config.js";
import { openDatabase, type Durability, type SqliteDatabase } from "./database.js";
import { lockDataDirectory, type DataDirectoryLock } from "./data-lock.js";
import { startCheckpointer } from "./checkpointer.js";
import { GatewayError } from "./errors.js";
import { ExchangeLog } from "./exchange-log.js";
import type { GatewayContext } from "./gateway-context.js";
import { errorResponse } from "./http.js";
import { InFlight } from "./in-flight.js";
import { KeyStore, sha256Hex } from "./keys.js";
import { pruneLog } from "./log-store.js";
import { addRoutes } from "./routes.js";
import { RateLimiter } from "./rate-limiter.js";
import type { WatermarkHook } from "./watermark-hook.js";
import { DefenceHook } from "./defence-hook.js";

export interface GatewayAppOptions {
  /** Data directory for the database (ignored when `db` is given). */
  dataDir?: string;
  db?: SqliteDatabase;
  /** The data directory's lock when the caller took it first (released on close); else the app takes it. */
  dataLock?: DataDirectoryLock;
  /** Parsed config; defaults apply to anything missing. */
  config?: GatewayConfigInput;
  /** Served name → model reference or ready model; default: `config.models`. */
  models?: Record<string, ModelSource>;
  resolveModel?: ModelResolver;
  watermark?: WatermarkHook | null;
  defence?: DefenceHook | null;
  /** The admin key itself (hashed on the spot) or its SHA-256. */
  adminKey?: string;
  adminKeySha256?: string;
  now?: () => number;
  /** Unexpected errors (500s) are reported here; default: stderr. */
  onInternalError?: (error: unknown) => void;
}

export interface GatewayApp {
  fetch(request: Request): Promise<Response>;
  /** Stops taking requests, waits up to `timeoutMs` for those in flight, then closes the stores. */
  close(timeoutMs?: number): Promise<void>;
  readonly inFlight: number;
  readonly context: GatewayContext;
}

const HOUR_MS = 3_600_000;

/** A server's own database: the directory's lock first, so a second server fails before touching it. */
function openLockedDatabase(dataDir: string, durability: Durability, taken?: DataDirectoryLock): { db: SqliteDatabase; lock: DataDirectoryLock } {
  const lock = taken ?? takeDataLock(dataDir);
  try {
    return { db: openDatabase(dataDir, { durability }), lock };
  } catch (error) {
    lock.release();
    throw error;
  }
}

/** The lock on a server's data directory (created if missing): see data-lock.ts. */
export function takeDataLock(dataDir: string): DataDirectoryLock {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  return lockDataDirectory(dataDir);
}

export function createGatewayApp(options: GatewayAppOptions = {}): GatewayApp {
  const config = parseConfig(options.config ?? {});
  const { db, lock } = options.db ? { db: options.db, lock: null } : openLockedDatabase(options.dataDir ?? config.data ?? ".pedigree", config.log.durability, options.dataLock);
  const now = options.now ?? Date.now;
  const inFlight = new InFlight();
  const log = new ExchangeLog(db);
  const checkpointer = startCheckpointer(db);
  const tokensToday = db.prepare<[string, number], { tokens: number }>("SELECT COALESCE(SUM(total_tokens), 0) AS tokens FROM exchanges WHERE key_id = ? AND ts >= ?");
  const context: GatewayContext = {
    db,
    keys: new KeyStore(db),
    log,
    limiter: new RateLimiter((keyId, dayStart) => tokensToday.get(keyId, dayStart)?.tokens ?? 0),
    backends: new Backends(options.models ?? config.models ?? {}, options.resolveModel ?? defaultResolver({ timeoutMs: config.limits.upstream_timeout_ms, maxRetries: config.limits.upstream_retries })),
    watermark: options.watermark ?? null,
    defence: options.defence ?? DefenceHook.basic(options.models ?? config.models ?? {}, options.watermark ?? null),
    bodyLimit: config.limits.body_bytes,
    upstreamTimeoutMs: config.limits.upstream_timeout_ms,
    now,
    hold: () => inFlight.hold(),
  };
  const adminKeySha256 = options.adminKeySha256 ?? (options.adminKey ? sha256Hex(options.adminKey) : config.admin_key_sha256 ?? null);
  const report = options.onInternalError ?? ((error: unknown) => process.stderr.write(`gateway: ${(error as Error)?.stack ?? String(error)}\n`));

  const app = new Hono();
  app.onError((error) => errorResponse(error, report));
  app.notFound((c) => errorResponse(new GatewayError("NOT_FOUND", `There is no route ${c.req.method} ${new URL(c.req.url).pathname}.`, { status: 404, type: "not_found_error" })));
  app.post("/v1/chat/completions", (c) => handleChatCompletions(context, c.req.raw, requireKey(context, c.req.raw)));
  addRoutes(app, context, adminKeySha256);

  const retentionDays = config.log.retention_days;
  let retentionTimer: NodeJS.Timeout | undefined;
  if (retentionDays !== null) {
    const prune = () => pruneLog(db, now() - retentionDays * 24 * HOUR_MS);
    prune();
    retentionTimer = setInterval(prune, HOUR_MS).unref();
  }

  let closing: Promise<void> | null = null;
  return {
    context,
    get inFlight() {
      return inFlight.count;
    },
    async fetch(request) {
      if (closing) return errorResponse(new GatewayError("SHUTTING_DOWN", "The gateway is shutting down; retry on another instance.", { status: 503, type: "server_error" }));
      const release = inFlight.hold();
      try {
        return await app.fetch(request);
      } finally {
        release();
      }
    },
    close(timeoutMs = config.limits.shutdown_timeout_ms) {
      closing ??= (async () => {
        clearInterval(retentionTimer);
        await inFlight.drained(timeoutMs);
        log.close();
        await checkpointer.stop();
        await context.backends.close();
        if (!options.db) db.close();
        lock?.release();
      })();
      return closing;
    },
  };
}
