// Starts a gateway on a temporary data directory behind a real Node server, with keys ready.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import type { ChatModel } from "../../models/spec.js";
import { createGatewayApp, type GatewayApp, type GatewayAppOptions } from "../app.js";
import type { KeyPolicyInput } from "../store/key-policy.js";
import { SqliteStore } from "../store/sqlite/sqlite-store.js";
import type { SqliteDatabase } from "../store/sqlite/database.js";
import { startGatewayServer, type GatewayServer } from "../node-server.js";

export const ADMIN_KEY = "pdg-admin-test-key";

export interface Harness {
  dir: string;
  app: GatewayApp;
  server: GatewayServer;
  baseURL: string;
  createKey(name: string, policy?: KeyPolicyInput): Promise<{ id: string; secret: string }>;
  /** The SQLite database behind the app (the harness uses the default store). */
  db: SqliteDatabase;
  client(secret: string, options?: { maxRetries?: number; timeout?: number }): OpenAI;
  stop(): Promise<void>;
}

export async function startHarness(models: Record<string, string | ChatModel>, options: Partial<GatewayAppOptions> = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), "pedigree-gateway-"));
  const app = await createGatewayApp({ dataDir: dir, models, adminKey: ADMIN_KEY, ...options, config: { ...options.config, limits: { upstream_retries: 0, ...options.config?.limits } } });
  const server = await startGatewayServer(app);
  const baseURL = `${server.url}/v1`;
  return {
    dir,
    app,
    server,
    baseURL,
    // Read on use: a harness on PostgreSQL has no SQLite file.
    get db() {
      return sqliteOf(app);
    },
    async createKey(name, policy) {
      const { record, secret } = await app.context.keys.create(name, policy);
      return { id: record.id, secret };
    },
    client: (secret, clientOptions = {}) => new OpenAI({ apiKey: secret, baseURL, maxRetries: clientOptions.maxRetries ?? 0, timeout: clientOptions.timeout ?? 10_000 }),
    async stop() {
      await server.close(2000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The database of an app on the default (SQLite) store, for tests that look at rows directly. */
export function sqliteOf(app: GatewayApp): SqliteDatabase {
  const store = app.context.store;
  if (!(store instanceof SqliteStore)) throw new Error("the app does not run on SQLite");
  return store.db;
}
