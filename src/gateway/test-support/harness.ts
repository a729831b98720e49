// Starts a gateway on a temporary data directory behind a real Node server, with keys ready.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import type { ChatModel } from "../../models/spec.js";
import { createGatewayApp, type GatewayApp, type GatewayAppOptions } from "../app.js";
import type { KeyPolicyInput } from "../keys.js";
import { startGatewayServer, type GatewayServer } from "../node-server.js";

export const ADMIN_KEY = "pdg-admin-test-key";

export interface Harness {
  dir: string;
  app: GatewayApp;
  server: GatewayServer;
  baseURL: string;
  createKey(name: string, policy?: KeyPolicyInput): { id: string; secret: string };
  client(secret: string, options?: { maxRetries?: number; timeout?: number }): OpenAI;
  stop(): Promise<void>;
}

export async function startHarness(models: Record<string, string | ChatModel>, options: Partial<GatewayAppOptions> = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), "pedigree-gateway-"));
  const app = createGatewayApp({ dataDir: dir, models, adminKey: ADMIN_KEY, ...options, config: { ...options.config, limits: { upstream_retries: 0, ...options.config?.limits } } });
  const server = await startGatewayServer(app);
  const baseURL = `${server.url}/v1`;
  return {
    dir,
    app,
    server,
    baseURL,
    createKey(name, policy) {
      const { record, secret } = app.context.keys.create(name, policy);
      return { id: record.id, secret };
    },
    client: (secret, clientOptions = {}) => new OpenAI({ apiKey: secret, baseURL, maxRetries: clientOptions.maxRetries ?? 0, timeout: clientOptions.timeout ?? 10_000 }),
    async stop() {
      await server.close(2000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
