// Two gateway replicas on one PostgreSQL database share the distillation state: a file uploaded
// through one is listed, read and deleted through the other; a batch created at one runs once across
// both; a stored completion made at one is listed, updated and deleted at the other; a fine-tuning
// job trains on one replica and its model is served by both to its key alone, and a cancel asked at
// the other stops it. A batch or a job whose replica is killed mid-run is taken over by another once
// its lease lapses: the batch goes on after the answers already recorded, the job from its checkpoint.
// The training worker runs the build (`npm run build` first).
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
import { killHard, startServer } from "../test-support/spawn-server.js";
import { bundleReplica } from "./test-support/bundle-replica.js";
import { defaultWorkerScript } from "./index.js";
import { jsonlFile, trainingLines } from "./test-support/training-lines.js";

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
const terminal = (job: { status: string }) => ["succeeded", "failed", "cancelled"].includes(job.status);

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
  let otherSecret: string;

  const open = async (name: string): Promise<Replica> => {
    const app = await createGatewayApp({
      dataDir: join(root, name), config: { replica: name, storage: { postgres: database.url }, limits: { upstream_retries: 0 } }, adminKey: ADMIN,
      models: { echo: echoModel(), "slow-echo": echoModel({ id: "slow-echo", delayMs: 10 }) },
      distillation: { batchLeaseMs: LEASE_MS, jobLeaseMs: LEASE_MS, pollMs: 100, workerPriority: 0 },
    });
    const server = await startGatewayServer(app);
    return { app, server, client: (key) => new OpenAI({ apiKey: key, baseURL: `${server.url}/v1`, maxRetries: 0, timeout: 10_000 }) };
  };
  const trainer = async (jobId: string) => (await store.pool.query<{ lease_owner: string | null }>("SELECT lease_owner FROM distillation_jobs WHERE id = $1", [jobId])).rows[0]?.lease_owner;
  const admin = (server: GatewayServer, path: string, method = "GET") => fetch(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${ADMIN}` } });
  const exchanges = async (model: string) => (await store.reader.query({ kind: "exchange", limit: 10_000 })).filter((row) => row.model === model && row.status === 200);

  beforeAll(async () => {
    database = await scratchDatabase();
    store = await PostgresStore.open({ postgres: database.url, poolSize: 2 });
    root = mkdtempSync(join(tmpdir(), "pedigree-distillation-replicas-"));
    a = await open("replica-a");
    b = await open("replica-b");
    secret = (await store.keys.create("shared", { distillation: true })).secret;
    otherSecret = (await store.keys.create("other", { distillation: true })).secret;
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

  it("a job trains on one replica; both serve its model to its key alone, and its GGUF once approved", async () => {
    const training = await a.client(secret).files.create({ file: await toFile(Buffer.from(jsonlFile(trainingLines(20))), "train.jsonl"), purpose: "fine-tune" });
    const created = await b.client(secret).fineTuning.jobs.create({ model: "tiny", training_file: training.id, suffix: "shared", method: { type: "supervised", supervised: { hyperparameters: { n_epochs: 3, batch_size: 4 } } } });
    const job = await waitFor(() => a.client(secret).fineTuning.jobs.retrieve(created.id), terminal, 60_000);
    expect([job.status, job.error]).toEqual(["succeeded", null]);
    const events = (await a.client(secret).fineTuning.jobs.listEvents(job.id, { limit: 100 })).data.map((event) => event.message);
    expect(events.filter((message) => message.startsWith("Fine-tuning job started"))).toHaveLength(1);
    expect(events.some((message) => message.includes("takes it over"))).toBe(false);
    const model = job.fine_tuned_model!;
    for (const replica of [a, b]) {
      const listed = await waitFor(() => replica.client(secret).models.list(), (page) => page.data.some((m) => m.id === model));
      expect(listed.data.map((m) => m.id)).toContain(model);
      const answer = await replica.client(secret).chat.completions.create({ model, messages: [{ role: "user", content: "What is the capital of France?" }], max_tokens: 4 });
      expect(answer.choices[0]!.message.content).toEqual(expect.any(String));
      expect((await replica.client(otherSecret).models.list()).data.map((m) => m.id)).not.toContain(model);
      expect(await replica.client(otherSecret).chat.completions.create({ model, messages: [{ role: "user", content: "hi" }] }).catch((error: InstanceType<typeof OpenAI.APIError>) => error.status)).toBe(404);
    }
    expect((await admin(a.server, `/admin/fine_tuning/jobs/${job.id}/approve_download`, "POST")).status).toBe(200);
    const gguf = await fetch(`${b.server.url}/v1/fine_tuning/jobs/${job.id}/model`, { headers: { authorization: `Bearer ${secret}` } });
    expect(Buffer.from(await gguf.arrayBuffer()).subarray(0, 4).toString()).toBe("GGUF");
  }, 90_000);

  it("a cancel asked at the replica that does not train the job stops it within seconds, checkpoint kept", async () => {
    const training = await a.client(secret).files.create({ file: await toFile(Buffer.from(jsonlFile(trainingLines(20))), "train.jsonl"), purpose: "fine-tune" });
    const created = await a.client(secret).fineTuning.jobs.create({ model: "tiny", training_file: training.id, method: { type: "supervised", supervised: { hyperparameters: { n_epochs: 50, batch_size: 1 } } } });
    await waitFor(() => a.client(secret).fineTuning.jobs.checkpoints.list(created.id), (page) => page.data.length > 0, 60_000);
    const elsewhere = (await trainer(created.id)) === "replica-a" ? b : a;
    const cancelled = await elsewhere.client(secret).fineTuning.jobs.cancel(created.id);
    expect(cancelled.status).toBe("cancelled");
    expect((await a.client(secret).fineTuning.jobs.checkpoints.list(created.id)).data.length).toBeGreaterThan(0);
    const messages = (await b.client(secret).fineTuning.jobs.listEvents(created.id, { limit: 100 })).data.map((event) => event.message);
    expect(messages[0]).toMatch(/^Fine-tuning job cancelled at step \d+; its checkpoint is kept$/);
  }, 90_000);

  it("a batch whose replica is killed mid-run is taken over once its lease lapses, and goes on after the recorded answers", async () => {
    const bundle = await bundleReplica();
    const { child, url } = await startServer(bundle.path, [join(root, "replica-c"), "replica-c", database.url, ADMIN, String(LEASE_MS), defaultWorkerScript()]);
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

  it("a job whose replica is killed mid-training is taken over once its lease lapses, from its checkpoint", async () => {
    const bundle = await bundleReplica();
    const { child, url } = await startServer(bundle.path, [join(root, "replica-d"), "replica-d", database.url, ADMIN, String(LEASE_MS), defaultWorkerScript()]);
    try {
      const d = new OpenAI({ apiKey: secret, baseURL: `${url}/v1`, maxRetries: 0, timeout: 10_000 });
      await b.server.close(2000);
      const training = await d.files.create({ file: await toFile(Buffer.from(jsonlFile(trainingLines(20))), "train.jsonl"), purpose: "fine-tune" });
      const created = await d.fineTuning.jobs.create({ model: "tiny", training_file: training.id, method: { type: "supervised", supervised: { hyperparameters: { n_epochs: 12, batch_size: 1 } } } });
      await waitFor(() => d.fineTuning.jobs.checkpoints.list(created.id), (page) => page.data.length > 0, 60_000);
      expect(await trainer(created.id)).toBe("replica-d");
      await killHard(child);
      b = await open("replica-b");
      const done = await waitFor(() => b.client(secret).fineTuning.jobs.retrieve(created.id), terminal, 60_000);
      expect([done.status, done.error]).toEqual(["succeeded", null]);
      const messages = (await b.client(secret).fineTuning.jobs.listEvents(created.id, { limit: 100 })).data.map((event) => event.message);
      const takeover = messages.find((message) => message.includes("replica-b takes it over"));
      expect(Number(/at step (\d+)/.exec(takeover ?? "")?.[1])).toBeGreaterThan(0);
      expect(messages.some((message) => message.startsWith("Fine-tuning job resumed at step"))).toBe(true);
      const listed = await waitFor(() => b.client(secret).models.list(), (page) => page.data.some((m) => m.id === done.fine_tuned_model));
      expect(listed.data.map((m) => m.id)).toContain(done.fine_tuned_model);
    } finally {
      await killHard(child);
      bundle.remove();
    }
  }, 90_000);
});
