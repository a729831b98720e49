// Two gateway replicas on one PostgreSQL database share the distillation state: a file uploaded
// through one is listed, read and deleted through the other; a batch created at one runs once across
// both; a stored completion made at one is listed, updated and deleted at the other; and a batch
// whose replica is killed mid-run is taken over by the other once its lease lapses, going on after
// the answers already recorded.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI, { toFile } from "openai";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createGatewayApp, type GatewayApp } from "../app.js";
import { startGatewayServer, type GatewayServer } from "../node-server.js";
import { PostgresStore } from "../store/postgres/postgres-store.js";
import { echoModel } from "../test-support/fake-models.js";
import { describeWithServices, scratchDatabase, type ScratchDatabase } from "../test-support/services.js";
import { bundleServer, killHard, startServer } from "../test-support/spawn-server.js";

const ADMIN = "pdg-distillation-replicas-admin";
const LEASE_MS = 1000;

interface Replica {
  app: GatewayApp;
  server: GatewayServer;
  client(secret: string): OpenAI;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const line = (customId: string, model: string, content: string) => JSON.stringify({ custom_id: customId, method: "POST", url: "/v1/chat/completions", body: { model, messages: [{ role: "user", content }] } });
const finished = (batch: { status: string }) => ["completed", "failed", "expired", "cancelled"].includes(batch.status);

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await sleep(50);
  }
}

await describeWithServices("distillation state shared by replicas on PostgreSQL", () => {
  let database: ScratchDatabase;
  let store: PostgresStore;
  let root: string;
  let a: Replica;
  let b: Replica;
  let secret: string;
  let keyId: string;

  const open = async (name: string): Promise<Replica> => {
    const app = await createGatewayApp({
      dataDir: join(root, name), config: { replica: name, storage: { postgres: database.url }, limits: { upstream_retries: 0 } }, adminKey: ADMIN,
      models: { echo: echoModel(), "slow-echo": echoModel({ id: "slow-echo", delayMs: 10 }) },
      distillation: { batchLeaseMs: LEASE_MS, pollMs: 100 },
    });
    const server = await startGatewayServer(app);
    return { app, server, client: (key) => new OpenAI({ apiKey: key, baseURL: `${server.url}/v1`, maxRetries: 0, timeout: 10_000 }) };
  };
  const exchanges = async (model: string) => (await store.reader.query({ kind: "exchange", limit: 10_000 })).filter((row) => row.model === model && row.status === 200);

  beforeAll(async () => {
    database = await scratchDatabase();
    store = await PostgresStore.open({ postgres: database.url, poolSize: 2 });
    root = mkdtempSync(join(tmpdir(), "pedigree-distillation-replicas-"));
    a = await open("replica-a");
    b = await open("replica-b");
    const created = await store.keys.create("shared", { distillation: true });
    [secret, keyId] = [created.secret, created.record.id];
  });
  afterAll(async () => {
    await a?.server.close(2000);
    await b?.server.close(2000);
    await store?.close();
    await database?.drop();
    rmSync(root, { recursive: true, force: true });
  });

  it("a file uploaded through one replica is listed, read and deleted through the other", async () => {
    const text = Array.from({ length: 3 }, (_, i) => line(`f${i}`, "echo", `x ${i}`)).join("\n") + "\n";
    const file = await a.client(secret).files.create({ file: await toFile(Buffer.from(text), "requests.jsonl"), purpose: "batch" });
    expect((await b.client(secret).files.list()).data.map((f) => f.id)).toContain(file.id);
    expect(await b.client(secret).files.retrieve(file.id)).toEqual(file);
    expect(await (await b.client(secret).files.content(file.id)).text()).toBe(text);
    expect(await b.client(secret).files.delete(file.id)).toEqual({ id: file.id, object: "file", deleted: true });
    expect(await a.client(secret).files.retrieve(file.id).catch((error: InstanceType<typeof OpenAI.APIError>) => error.status)).toBe(404);
  });

  it("a batch created at one replica runs once across both, and either serves its output", async () => {
    const lines = Array.from({ length: 12 }, (_, i) => line(`q${i}`, "echo", `question ${i}`));
    const input = await b.client(secret).files.create({ file: await toFile(Buffer.from(lines.join("\n") + "\n"), "batch.jsonl"), purpose: "batch" });
    const created = await b.client(secret).batches.create({ input_file_id: input.id, endpoint: "/v1/chat/completions", completion_window: "24h" });
    const done = await waitFor(() => a.client(secret).batches.retrieve(created.id), finished);
    expect(done).toMatchObject({ status: "completed", request_counts: { total: 12, completed: 12, failed: 0 } });
    const output = (await (await a.client(secret).files.content(done.output_file_id!)).text()).trim().split("\n").map((text) => JSON.parse(text).custom_id);
    expect(output).toEqual(lines.map((_, i) => `q${i}`));
    // Every request answered once, all by one replica (the lease kept the other off).
    const rows = (await exchanges("echo")).filter((row) => /question \d+/.test(String(row.response)));
    expect(rows).toHaveLength(12);
    expect(new Set(rows.map((row) => row.chain)).size).toBe(1);
    expect((await a.client(secret).batches.list()).data.map((batch) => batch.id)).toContain(created.id);
  });

  it("a stored completion made at one replica is listed, updated and deleted at the other", async () => {
    const made = await a.client(secret).chat.completions.create({ model: "echo", messages: [{ role: "user", content: "capital of Peru" }], store: true, metadata: { topic: "geo" } });
    expect((await b.client(secret).chat.completions.list()).data.map((c) => c.id)).toContain(made.id);
    expect((await b.client(secret).chat.completions.retrieve(made.id)).choices[0]!.message.content).toBe("echo: capital of Peru");
    await b.client(secret).chat.completions.update(made.id, { metadata: { topic: "history" } });
    expect((await a.client(secret).chat.completions.retrieve(made.id) as unknown as { metadata: unknown }).metadata).toEqual({ topic: "history" });
    await a.client(secret).chat.completions.delete(made.id);
    expect(await b.client(secret).chat.completions.retrieve(made.id).catch((error: InstanceType<typeof OpenAI.APIError>) => error.status)).toBe(404);
  });

  it("a batch whose replica is killed mid-run is taken over once its lease lapses, and goes on after the recorded answers", async () => {
    const bundle = await bundleServer("../distillation/test-support/distillation-replica.ts");
    const { child, url } = await startServer(bundle.path, [join(root, "replica-c"), "replica-c", database.url, ADMIN, String(LEASE_MS)]);
    try {
      const c = new OpenAI({ apiKey: secret, baseURL: `${url}/v1`, maxRetries: 0, timeout: 10_000 });
      // Closed first, so the batch is replica-c's from the start.
      await Promise.all([a.server.close(2000), b.server.close(2000)]);
      const lines = Array.from({ length: 40 }, (_, i) => line(`k${i}`, "slow-echo", `killed ${i}`));
      const input = await c.files.create({ file: await toFile(Buffer.from(lines.join("\n") + "\n"), "batch.jsonl"), purpose: "batch" });
      const created = await c.batches.create({ input_file_id: input.id, endpoint: "/v1/chat/completions", completion_window: "24h" });
      const before = await waitFor(() => c.batches.retrieve(created.id), (batch) => batch.request_counts!.completed >= 5);
      await killHard(child);
      expect(before.request_counts!.completed).toBeLessThan(40);
      b = await open("replica-b");
      const done = await waitFor(() => b.client(secret).batches.retrieve(created.id), finished);
      expect(done).toMatchObject({ status: "completed", request_counts: { total: 40, completed: 40, failed: 0 } });
      const output = (await (await b.client(secret).files.content(done.output_file_id!)).text()).trim().split("\n").map((text) => JSON.parse(text).custom_id);
      expect(output).toEqual(lines.map((_, i) => `k${i}`));
      const rows = (await exchanges("slow-echo")).filter((row) => /killed \d+/.test(String(row.response)));
      // replica-c's answers stand; replica-b answered the rest. At most the one request in flight at
      // the kill (answered and logged, not yet recorded) was asked twice.
      const byChain = (chain: string) => rows.filter((row) => row.chain === chain).length;
      expect(byChain("replica-c")).toBeGreaterThanOrEqual(before.request_counts!.completed);
      expect(byChain("replica-b")).toBeGreaterThan(0);
      expect(rows.length).toBeGreaterThanOrEqual(40);
      expect(rows.length).toBeLessThanOrEqual(41);
      expect(await store.reader.verify()).toMatchObject({ ok: true });
    } finally {
      await killHard(child);
      bundle.remove();
    }
  }, 60_000);
});
