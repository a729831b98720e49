// Files and fine-tuning jobs through the official openai client: the licence gate, upload checks,
// a job trained to the end and served, cancel, a restart that resumes, queueing and deleted files.
// The worker runs the build (`npm run build` first).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI, { toFile } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGatewayApp, type GatewayApp } from "../app.js";
import { startGatewayServer, type GatewayServer } from "../node-server.js";
import { ADMIN_KEY } from "../test-support/harness.js";
import { jsonlFile, trainingLines } from "./test-support/training-lines.js";

let dir: string;
let app: GatewayApp;
let server: GatewayServer;
let licensed: string;
let other: string;
let unlicensed: string;

async function start(): Promise<void> {
  // Priority 0: test files share the cores, and a trainer at niceness 19 would wait on all of them.
  app = await createGatewayApp({ dataDir: dir, models: { atlas: "atlas" }, adminKey: ADMIN_KEY, config: { limits: { upstream_retries: 0 } }, distillation: { fileBytes: 200_000, workerPriority: 0 } });
  server = await startGatewayServer(app);
}
const client = (secret: string) => new OpenAI({ apiKey: secret, baseURL: `${server.url}/v1`, maxRetries: 0, timeout: 60_000 });
const upload = async (secret: string, text: string, purpose: "fine-tune" | "batch" = "fine-tune") => client(secret).files.create({ file: await toFile(Buffer.from(text), "data.jsonl"), purpose });
const failure = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error as InstanceType<typeof OpenAI.APIError>);

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
const terminal = (job: { status: string }) => ["succeeded", "failed", "cancelled"].includes(job.status);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "pedigree-finetune-"));
  await start();
  licensed = (await app.context.keys.create("licensed", { distillation: true })).secret;
  other = (await app.context.keys.create("other licensed", { distillation: true })).secret;
  unlicensed = (await app.context.keys.create("unlicensed")).secret;
});
afterAll(async () => {
  await server.close(2000);
  rmSync(dir, { recursive: true, force: true });
});

describe("the licence is the policy", () => {
  it("refuses fine-tuning uploads and jobs to an unlicensed key, storing nothing", async () => {
    const refused = await failure(upload(unlicensed, jsonlFile(trainingLines(12))));
    expect([refused?.status, refused?.code]).toEqual([403, "distillation_not_licensed"]);
    expect((await client(unlicensed).files.list()).data).toEqual([]);
    const job = await failure(client(unlicensed).fineTuning.jobs.create({ model: "tiny", training_file: "file-00" }));
    expect([job?.status, job?.code]).toEqual([403, "distillation_not_licensed"]);
  });
});

describe("uploads", () => {
  it("names the bad line of a malformed file, and refuses fewer than 10 examples or too large a file", async () => {
    const lines = trainingLines(12);
    lines[2] = JSON.stringify({ messages: [{ role: "user", content: "no answer" }] });
    const bad = await failure(upload(licensed, jsonlFile(lines)));
    expect([bad?.status, bad?.code]).toEqual([400, "invalid_file_format"]);
    expect(bad?.message).toContain("Line 3");
    const notJson = await failure(upload(licensed, jsonlFile([...trainingLines(11), "{oops"])));
    expect(notJson?.message).toContain("Line 12");
    const few = await failure(upload(licensed, jsonlFile(trainingLines(9))));
    expect([few?.status, few?.message]).toEqual([400, expect.stringContaining("9 example(s)")]);
    const large = await failure(upload(licensed, jsonlFile(trainingLines(2000))));
    expect([large?.status, large?.code]).toEqual([413, "file_too_large"]);
    expect((await client(licensed).files.list()).data).toEqual([]);
  });

  it("stores a good file for its key only: list, retrieve, content, delete", async () => {
    const text = jsonlFile(trainingLines(10));
    const file = await upload(licensed, text);
    expect(file).toMatchObject({ object: "file", purpose: "fine-tune", bytes: Buffer.byteLength(text), status: "processed" });
    expect((await client(licensed).files.list()).data.map((f) => f.id)).toEqual([file.id]);
    expect(await (await client(licensed).files.content(file.id)).text()).toBe(text);
    expect((await failure(client(other).files.retrieve(file.id)))?.status).toBe(404);
    expect(await client(licensed).files.delete(file.id)).toEqual({ id: file.id, object: "file", deleted: true });
    expect((await failure(client(licensed).files.retrieve(file.id)))?.status).toBe(404);
  });
});

describe("fine-tuning jobs", () => {
  it("refuses examples longer than the base model's context", async () => {
    const long = JSON.stringify({ messages: [{ role: "user", content: "Say it all." }, { role: "assistant", content: "word ".repeat(300) }] });
    const file = await upload(licensed, jsonlFile([...trainingLines(10), long]));
    const refused = await failure(client(licensed).fineTuning.jobs.create({ model: "tiny", training_file: file.id }));
    expect([refused?.status, refused?.code]).toEqual([400, "invalid_file_format"]);
    expect(refused?.message).toContain("Example 11 of the training file");
    expect((await client(licensed).fineTuning.jobs.list()).data).toEqual([]);
  });

  it("trains a job to the end, evaluates it, serves the model to its key alone, and guards its GGUF", async () => {
    const training = await upload(licensed, jsonlFile(trainingLines(20)));
    const validation = await upload(licensed, jsonlFile(trainingLines(10, 5)));
    const created = await client(licensed).fineTuning.jobs.create({
      model: "tiny", training_file: training.id, validation_file: validation.id, suffix: "capitals", seed: 3,
      method: { type: "supervised", supervised: { hyperparameters: { n_epochs: 4, batch_size: 4, learning_rate_multiplier: 2 } } },
    });
    expect(created).toMatchObject({ object: "fine_tuning.job", model: "tiny", status: expect.stringMatching(/queued|running/), hyperparameters: { n_epochs: 4, batch_size: 4, learning_rate_multiplier: 2 } });
    const job = await waitFor(() => client(licensed).fineTuning.jobs.retrieve(created.id), terminal);
    expect(job.error).toBeNull();
    expect(job.status).toBe("succeeded");
    expect(job.fine_tuned_model).toMatch(new RegExp(`^ft:tiny:key_[0-9a-f]+:capitals:[0-9a-f]{8}$`));
    expect(job.metadata).toMatchObject({ eval_examples: "10", eval_teacher: "atlas", eval_fine_tuned_loss: expect.stringMatching(/^\d/) });
    // Training lowered the loss of the validation answers below the untrained base's.
    expect(Number(job.metadata!.eval_fine_tuned_loss)).toBeLessThan(Number(job.metadata!.eval_base_loss));

    const events = (await client(licensed).fineTuning.jobs.listEvents(job.id, { limit: 100 })).data;
    const losses = events.filter((event) => (event.data as { train_loss?: number } | null)?.train_loss !== undefined);
    expect(losses.length).toBeGreaterThan(1);
    expect(events.map((event) => event.message).reverse()[0]).toContain("Created fine-tuning job");
    expect(events.some((event) => event.message.startsWith("Eval on 10 validation examples"))).toBe(true);
    expect((await client(licensed).fineTuning.jobs.checkpoints.list(job.id)).data.length).toBeGreaterThan(0);

    const model = job.fine_tuned_model!;
    expect((await client(licensed).models.list()).data.map((m) => m.id)).toContain(model);
    expect((await client(other).models.list()).data.map((m) => m.id)).not.toContain(model);
    const answer = await client(licensed).chat.completions.create({ model, messages: [{ role: "user", content: "What is the capital of France?" }], max_tokens: 8 });
    expect(answer.choices[0]!.message.content).toEqual(expect.any(String));
    expect((await failure(client(other).chat.completions.create({ model, messages: [{ role: "user", content: "hi" }] })))?.status).toBe(404);

    const download = (secret: string, path: string) => fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${secret}` } });
    expect((await download(licensed, `/v1/fine_tuning/jobs/${job.id}/model`)).status).toBe(403);
    expect((await fetch(`${server.url}/admin/fine_tuning/jobs/${job.id}/approve_download`, { method: "POST", headers: { authorization: `Bearer ${ADMIN_KEY}` } })).status).toBe(200);
    const gguf = await download(licensed, `/v1/fine_tuning/jobs/${job.id}/model`);
    expect(Buffer.from(await gguf.arrayBuffer()).subarray(0, 4).toString()).toBe("GGUF");
    expect((await download(other, `/v1/fine_tuning/jobs/${job.id}/model`)).status).toBe(404);

    const log = await (await download(ADMIN_KEY, "/admin/log?limit=100")).json() as { data: { kind: string; event_type: string | null; payload: unknown }[] };
    const createdRow = log.data.find((row) => row.kind === "event" && row.event_type === "fine_tuning.job.created")!;
    expect(createdRow.payload).toMatchObject({ job_id: job.id, training_file: { id: training.id, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect(log.data.some((row) => row.kind === "event" && row.event_type === "fine_tuning.job.succeeded")).toBe(true);
    expect(await (await download(ADMIN_KEY, "/admin/log/verify")).json()).toMatchObject({ ok: true });
  });

  it("queues two jobs one after the other, cancels within seconds keeping the checkpoint, and fails a job whose file was deleted", async () => {
    const long = await upload(licensed, jsonlFile(trainingLines(20)));
    const doomed = await upload(licensed, jsonlFile(trainingLines(10)));
    const hyperparameters = { n_epochs: 50, batch_size: 1 };
    const first = await client(licensed).fineTuning.jobs.create({ model: "tiny", training_file: long.id, method: { type: "supervised", supervised: { hyperparameters } } });
    const second = await client(licensed).fineTuning.jobs.create({ model: "tiny", training_file: doomed.id });
    await waitFor(() => client(licensed).fineTuning.jobs.checkpoints.list(first.id), (page) => page.data.length > 0);
    const statuses = (await client(licensed).fineTuning.jobs.list()).data.map((job) => [job.id, job.status]);
    expect(statuses).toEqual(expect.arrayContaining([[first.id, "running"], [second.id, "queued"]]));
    await client(licensed).files.delete(doomed.id);
    const started = Date.now();
    const cancelled = await client(licensed).fineTuning.jobs.cancel(first.id);
    expect(cancelled.status).toBe("cancelled");
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await client(licensed).fineTuning.jobs.checkpoints.list(first.id)).data.length).toBeGreaterThan(0);
    const failed = await waitFor(() => client(licensed).fineTuning.jobs.retrieve(second.id), terminal);
    expect([failed.status, failed.error?.code]).toEqual(["failed", "file_deleted"]);
    expect((await failure(client(licensed).fineTuning.jobs.cancel(first.id)))?.code).toBe("invalid_state");
  });

  it("resumes a running job from its checkpoint after a gateway restart", async () => {
    const file = await upload(licensed, jsonlFile(trainingLines(20)));
    const job = await client(licensed).fineTuning.jobs.create({ model: "tiny", training_file: file.id, method: { type: "supervised", supervised: { hyperparameters: { n_epochs: 12, batch_size: 1 } } } });
    await waitFor(() => client(licensed).fineTuning.jobs.checkpoints.list(job.id), (page) => page.data.length > 0);
    await server.close(2000);
    await start();
    const done = await waitFor(() => client(licensed).fineTuning.jobs.retrieve(job.id), terminal);
    expect(done.status).toBe("succeeded");
    const messages = (await client(licensed).fineTuning.jobs.listEvents(job.id, { limit: 100 })).data.map((event) => event.message);
    const resumed = messages.find((message) => message.startsWith("Fine-tuning job resumed at step"));
    expect(resumed).toBeDefined();
    expect(Number(/step (\d+)/.exec(resumed!)![1])).toBeGreaterThan(0);
    expect((await client(licensed).models.list()).data.map((m) => m.id)).toContain(done.fine_tuned_model);
  });
});
