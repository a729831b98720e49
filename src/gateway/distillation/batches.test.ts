// The Batch API through the official openai client: each request answered by the gateway's own chat
// handler (logged like live traffic, the key's quota enforced), output and error files in input
// order, cancel, and a restart that goes on where the batch stopped.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI, { toFile } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGatewayApp } from "../app.js";
import { startGatewayServer } from "../node-server.js";
import { echoModel } from "../test-support/fake-models.js";
import { ADMIN_KEY, startHarness, type Harness } from "../test-support/harness.js";

let harness: Harness;
let secret: string;
const slowEcho = echoModel({ id: "slow-echo", delayMs: 40 });

beforeAll(async () => {
  harness = await startHarness({ echo: echoModel(), "slow-echo": slowEcho });
  secret = (await harness.createKey("batcher")).secret;
});
afterAll(async () => harness.stop());

const line = (customId: string, model: string, content: string) => JSON.stringify({ custom_id: customId, method: "POST", url: "/v1/chat/completions", body: { model, messages: [{ role: "user", content }] } });
const uploadBatch = async (client: OpenAI, lines: string[]) => client.files.create({ file: await toFile(Buffer.from(lines.join("\n") + "\n"), "batch.jsonl"), purpose: "batch" });

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
const finished = (batch: { status: string }) => ["completed", "failed", "expired", "cancelled"].includes(batch.status);

describe("batches", () => {
  it("answers every line through the chat handler, in order, with errors in the error file", async () => {
    const client = harness.client(secret);
    const input = await uploadBatch(client, [line("a", "echo", "one"), line("b", "nope", "two"), line("c", "echo", "three four"), line("d", "echo", "five")]);
    const created = await client.batches.create({ input_file_id: input.id, endpoint: "/v1/chat/completions", completion_window: "24h", metadata: { run: "t1" } });
    expect(created).toMatchObject({ object: "batch", status: "validating", request_counts: { total: 4, completed: 0, failed: 0 } });
    const batch = await waitFor(() => client.batches.retrieve(created.id), finished);
    expect(batch).toMatchObject({ status: "completed", request_counts: { total: 4, completed: 3, failed: 1 }, metadata: { run: "t1" } });
    const output = (await (await client.files.content(batch.output_file_id!)).text()).trim().split("\n").map((text) => JSON.parse(text));
    expect(output.map((row) => row.custom_id)).toEqual(["a", "c", "d"]);
    expect(output.map((row) => row.response.body.choices[0].message.content)).toEqual(["echo: one", "echo: three four", "echo: five"]);
    const errors = (await (await client.files.content(batch.error_file_id!)).text()).trim().split("\n").map((text) => JSON.parse(text));
    expect(errors).toMatchObject([{ custom_id: "b", response: { status_code: 404, body: { error: { code: "model_not_found" } } } }]);
    // Logged like live traffic: one exchange per request, and the chain verifies.
    const admin = (path: string) => fetch(`${harness.server.url}${path}`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } }).then((response) => response.json());
    const log = (await admin("/admin/log?limit=100")) as { data: { model: string; status: number; kind: string; event_type: string | null }[] };
    expect(log.data.filter((row) => row.model === "echo" && row.status === 200)).toHaveLength(3);
    expect(log.data.some((row) => row.kind === "event" && row.event_type === "batch.completed")).toBe(true);
    expect(await admin("/admin/log/verify")).toMatchObject({ ok: true });
    expect((await client.batches.list()).data.map((b) => b.id)).toContain(batch.id);
  });

  it("obeys the key's daily quota: requests past it land in the error file", async () => {
    const limited = (await harness.createKey("small quota", { dailyTokens: 6 })).secret;
    const client = harness.client(limited);
    const input = await uploadBatch(client, [line("x", "echo", "a b"), line("y", "echo", "c d"), line("z", "echo", "e f")]);
    const created = await client.batches.create({ input_file_id: input.id, endpoint: "/v1/chat/completions", completion_window: "24h" });
    const done = await waitFor(() => client.batches.retrieve(created.id), finished);
    expect(done.request_counts!.completed).toBeGreaterThanOrEqual(1);
    expect(done.request_counts!.failed).toBeGreaterThanOrEqual(1);
    const errors = (await (await client.files.content(done.error_file_id!)).text()).trim().split("\n").map((text) => JSON.parse(text));
    expect(errors[0].response.body.error.code).toBe("insufficient_quota");
  });

  it("cancels a running batch, keeping the answers so far in the output file", async () => {
    const client = harness.client(secret);
    const input = await uploadBatch(client, Array.from({ length: 200 }, (_, i) => line(`r${i}`, "slow-echo", `n ${i}`)));
    const created = await client.batches.create({ input_file_id: input.id, endpoint: "/v1/chat/completions", completion_window: "24h" });
    await waitFor(() => client.batches.retrieve(created.id), (batch) => batch.request_counts!.completed >= 2);
    expect((await client.batches.cancel(created.id)).status).toBe("cancelling");
    const done = await waitFor(() => client.batches.retrieve(created.id), finished);
    expect(done.status).toBe("cancelled");
    expect(done.request_counts!.completed).toBeLessThan(200);
    const output = (await (await client.files.content(done.output_file_id!)).text()).trim().split("\n");
    expect(output).toHaveLength(done.request_counts!.completed);
  });

  it("refuses a batch over a fine-tuning file or with another endpoint", async () => {
    const client = harness.client(secret);
    const input = await uploadBatch(client, [line("a", "echo", "x")]);
    const bad = await client.batches.create({ input_file_id: input.id, endpoint: "/v1/embeddings", completion_window: "24h" }).catch((error: InstanceType<typeof OpenAI.APIError>) => error);
    expect((bad as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
    const badLine = await uploadBatch(client, [JSON.stringify({ custom_id: "a", method: "GET", url: "/v1/chat/completions", body: {} })]).catch((error: InstanceType<typeof OpenAI.APIError>) => error);
    expect((badLine as InstanceType<typeof OpenAI.APIError>).message).toContain("Line 1");
  });
});

describe("a batch across a restart", () => {
  it("goes on after the last answered request, answering each request once", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pedigree-batch-restart-"));
    const open = async () => {
      const app = await createGatewayApp({ dataDir: dir, models: { "slow-echo": echoModel({ id: "slow-echo", delayMs: 20 }) }, adminKey: ADMIN_KEY });
      return { app, server: await startGatewayServer(app) };
    };
    let { app, server } = await open();
    const { secret } = await app.context.keys.create("restart");
    let client = new OpenAI({ apiKey: secret, baseURL: `${server.url}/v1`, maxRetries: 0 });
    const input = await uploadBatch(client, Array.from({ length: 60 }, (_, i) => line(`q${i}`, "slow-echo", `n ${i}`)));
    const created = await client.batches.create({ input_file_id: input.id, endpoint: "/v1/chat/completions", completion_window: "24h" });
    const before = await waitFor(() => client.batches.retrieve(created.id), (batch) => batch.request_counts!.completed >= 5);
    await server.close(2000);
    expect(before.request_counts!.completed).toBeLessThan(60);
    ({ app, server } = await open());
    client = new OpenAI({ apiKey: secret, baseURL: `${server.url}/v1`, maxRetries: 0 });
    const done = await waitFor(() => client.batches.retrieve(created.id), finished);
    expect(done).toMatchObject({ status: "completed", request_counts: { total: 60, completed: 60, failed: 0 } });
    const output = (await (await client.files.content(done.output_file_id!)).text()).trim().split("\n").map((text) => JSON.parse(text).custom_id);
    expect(output).toEqual(Array.from({ length: 60 }, (_, i) => `q${i}`));
    const log = (await (await fetch(`${server.url}/admin/log?limit=1000`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })).json()) as { data: { model: string; status: number }[] };
    expect(log.data.filter((row) => row.model === "slow-echo" && row.status === 200)).toHaveLength(60);
    await server.close(2000);
    rmSync(dir, { recursive: true, force: true });
  });
});
