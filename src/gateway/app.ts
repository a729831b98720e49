// The gateway as a fetch-style app (standard Request → Response) on hono. Runtime adapters (see
// node-server.ts) only move bytes; everything the gateway decides happens here.
import { mkdirSync } from "node:fs";
import { Hono } from "hono";
import { addAdminRoutes } from "./admin-routes.js";
import { keyFromAuthorization } from "./auth.js";
import { Backends, defaultResolver, type ModelResolver, type ModelSource } from "./backends.js";
import { handleChatCompletions } from "./chat-completions.js";
import { dataDirectory, parseConfig, type GatewayConfigInput } from "./config.js";
import { lockDataDirectory, type DataDirectoryLock } from "./data-lock.js";
import { GatewayError } from "./errors.js";
import type { GatewayContext } from "./gateway-context.js";
import { errorReply, errorResponse } from "./http.js";
import type { ChatReply } from "./replies.js";
import { requestSource, type RequestSource } from "./request-source.js";
import { InFlight } from "./in-flight.js";
import { GatewayMetrics } from "./metrics.js";
import { sha256Hex } from "./store/key-policy.js";
import { defaultReplicaId, openStore } from "./store/open-store.js";
import type { GatewayStore, LogWriter } from "./store/store.js";
import { addRoutes } from "./routes.js";
import { addDistillationRoutes, type DistillationOptions } from "./distillation/index.js";
import type { WatermarkHook } from "./watermark-hook.js";
import { addAlertRoutes } from "./alert-routes.js";
import { MonitorHook, type MonitorHookOptions } from "./monitor-hook.js";
import { DefenceHook } from "./defence-hook.js";

export interface GatewayAppOptions {
  /** Data directory (the SQLite database, the lock). */
  dataDir?: string;
  /** A store the caller opened and closes itself; default: the one the config names. */
  store?: GatewayStore;
  /** The data directory's lock when the caller took it first (released on close); else the app takes it. */
  dataLock?: DataDirectoryLock;
  /** Parsed config; defaults apply to anything missing. */
  config?: GatewayConfigInput;
  /** Served name → model reference or ready model; default: `config.models`. */
  models?: Record<string, ModelSource>;
  resolveModel?: ModelResolver;
  watermark?: WatermarkHook | null;
  /** Extraction-campaign monitor (alerts, actions on keys); off when absent. */
  monitor?: MonitorHookOptions | null;
  defence?: DefenceHook | null;
  /** The admin key itself (hashed on the spot) or its SHA-256. */
  adminKey?: string;
  adminKeySha256?: string;
  now?: () => number;
  /** Unexpected errors (500s) are reported here; default: stderr. */
  onInternalError?: (error: unknown) => void;
  /** Files, fine-tuning jobs and batches (on by default with a data directory). */
  distillation?: Partial<DistillationOptions> | false;
}

export interface GatewayApp {
  fetch(request: Request): Promise<Response>;
  /** POST /v1/chat/completions from a RequestSource, as `fetch` would answer it, errors included
   *  (the Node adapter's fast path: no Request or Response objects). */
  chatCompletions(request: RequestSource): Promise<ChatReply>;
  /** Stops taking requests, waits up to `timeoutMs` for those in flight, then closes the stores. */
  close(timeoutMs?: number): Promise<void>;
  readonly inFlight: number;
  readonly context: GatewayContext;
}

const HOUR_MS = 3_600_000;

const shuttingDown = () => new GatewayError("SHUTTING_DOWN", "The gateway is shutting down; retry on another instance.", { status: 503, type: "server_error" });

/** The lock on a server's data directory (created if missing): see data-lock.ts. */
export function takeDataLock(dataDir: string): DataDirectoryLock {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  return lockDataDirectory(dataDir);
}

/** Opens the store (migrating its schema) and the replica's log writer, then builds the app. */
export async function createGatewayApp(options: GatewayAppOptions = {}): Promise<GatewayApp> {
  const config = parseConfig(options.config ?? {});
  const dataDir = options.dataDir ?? dataDirectory(config);
  const now = options.now ?? Date.now;
  // The directory's lock comes first, so a second server there fails before touching anything.
  const lock = options.store ? null : (options.dataLock ?? takeDataLock(dataDir));
  let store: GatewayStore;
  try {
    store = options.store ?? (await openStore({ postgres: config.storage.postgres, redis: config.storage.redis, redisPrefix: config.storage.redis_prefix, dataDir, durability: config.log.durability, now }));
  } catch (error) {
    lock?.release();
    throw error;
  }
  const replica = config.replica ?? defaultReplicaId(dataDir);
  const inFlight = new InFlight();
  let log: LogWriter;
  try {
    // The request appending holds one count itself.
    log = await store.openWriter(replica, { othersInFlight: () => inFlight.count > 1 });
  } catch (error) {
    if (!options.store) await store.close().catch(() => undefined);
    lock?.release();
    throw error;
  }
  const context: GatewayContext = {
    store,
    keys: store.keys,
    log,
    reader: store.reader,
    limiter: store.limits,
    replica,
    backends: new Backends(options.models ?? config.models ?? {}, options.resolveModel ?? defaultResolver({ timeoutMs: config.limits.upstream_timeout_ms, maxRetries: config.limits.upstream_retries })),
    watermark: options.watermark ?? null,
    metrics: new GatewayMetrics(),
    monitor: null,
    defence: options.defence ?? DefenceHook.basic(options.models ?? config.models ?? {}, options.watermark ?? null),
    bodyLimit: config.limits.body_bytes,
    upstreamTimeoutMs: config.limits.upstream_timeout_ms,
    now,
    hold: () => inFlight.hold(),
  };
  const report = options.onInternalError ?? ((error: unknown) => process.stderr.write(`gateway: ${(error as Error)?.stack ?? String(error)}\n`));
  context.monitor = options.monitor ? new MonitorHook(options.monitor, log, report) : null;
  const adminKeySha256 = options.adminKeySha256 ?? (options.adminKey ? sha256Hex(options.adminKey) : config.admin_key_sha256 ?? null);

  const app = new Hono();
  app.onError((error) => errorResponse(error, report));
  app.notFound((c) => errorResponse(new GatewayError("NOT_FOUND", `There is no route ${c.req.method} ${new URL(c.req.url).pathname}.`, { status: 404, type: "not_found_error" })));
  const chat = async (request: RequestSource) => handleChatCompletions(context, request, await keyFromAuthorization(context, request.authorization));
  app.post("/v1/chat/completions", async (c) => (await chat(requestSource(c.req.raw))).toResponse());
  addRoutes(app, context, adminKeySha256);
  addAdminRoutes(app, context, { adminKeySha256, metricsTokenSha256: config.metrics_token_sha256 ?? null });
  const distillation = options.distillation === false || (options.store && !options.dataDir) ? null : await addDistillationRoutes(app, context, { dataDir, adminKeySha256, inFlight: () => inFlight.count, ...options.distillation });
  addAlertRoutes(app, context, adminKeySha256);

  const retentionDays = config.log.retention_days;
  let retentionTimer: NodeJS.Timeout | undefined;
  if (retentionDays !== null) {
    const prune = () => void store.reader.prune(now() - retentionDays * 24 * HOUR_MS).catch(report);
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
      if (closing) return errorResponse(shuttingDown());
      const release = inFlight.hold();
      try {
        return await app.fetch(request);
      } finally {
        release();
      }
    },
    async chatCompletions(request) {
      if (closing) return errorReply(shuttingDown());
      const release = inFlight.hold();
      try {
        return await chat(request);
      } catch (error) {
        return errorReply(error, report);
      } finally {
        release();
      }
    },
    close(timeoutMs = config.limits.shutdown_timeout_ms) {
      closing ??= (async () => {
        clearInterval(retentionTimer);
        await inFlight.drained(timeoutMs);
        await distillation?.close();
        await context.monitor?.close();
        await log.close();
        await context.backends.close();
        if (!options.store) await store.close();
        lock?.release();
      })();
      return closing;
    },
  };
}
