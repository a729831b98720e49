// Stored completions through the official openai client: store: true with metadata for licensed
// keys only, list with filters, retrieve, messages, metadata update and delete, each key seeing its
// own; deleting hides a completion but leaves the exchange log's chain whole.
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { echoModel } from "../test-support/fake-models.js";
import { ADMIN_KEY, startHarness, type Harness } from "../test-support/harness.js";

let harness: Harness;
let licensed: OpenAI;
let other: OpenAI;
let unlicensed: OpenAI;

beforeAll(async () => {
  harness = await startHarness({ echo: echoModel(), copy: echoModel({ id: "copy" }) });
  licensed = harness.client((await harness.createKey("licensed", { distillation: true })).secret);
  other = harness.client((await harness.createKey("other", { distillation: true })).secret);
  unlicensed = harness.client((await harness.createKey("unlicensed")).secret);
});
afterAll(async () => harness.stop());

const ask = (content: string) => [{ role: "user" as const, content }];
const admin = (path: string) => fetch(`${harness.server.url}${path}`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } }).then((response) => response.json());

describe("stored completions", () => {
  it("refuses store: true to an unlicensed key and logs nothing", async () => {
    const before = ((await admin("/admin/log?limit=1000")) as { data: unknown[] }).data.length;
    const error = await unlicensed.chat.completions.create({ model: "echo", messages: ask("x"), store: true }).catch((caught: InstanceType<typeof OpenAI.APIError>) => caught);
    expect([(error as InstanceType<typeof OpenAI.APIError>).status, (error as InstanceType<typeof OpenAI.APIError>).code]).toEqual([403, "distillation_not_licensed"]);
    expect(((await admin("/admin/log?limit=1000")) as { data: unknown[] }).data.length).toBe(before);
    expect((await unlicensed.chat.completions.list()).data).toEqual([]);
  });

  it("stores, lists with filters, retrieves, updates and deletes a key's own completions", async () => {
    const first = await licensed.chat.completions.create({ model: "echo", messages: ask("capital of France"), store: true, metadata: { topic: "geo", run: "1" } });
    const second = await licensed.chat.completions.create({ model: "copy", messages: ask("capital of Spain"), store: true, metadata: { topic: "geo", run: "2" } });
    await licensed.chat.completions.create({ model: "echo", messages: ask("not stored") });
    const stream = await licensed.chat.completions.create({ model: "echo", messages: ask("streamed one"), store: true, stream: true, metadata: { topic: "stream" } });
    for await (const _ of stream) void _;
    const all = (await licensed.chat.completions.list()).data;
    expect(all.map((completion) => completion.id)).toEqual([first.id, second.id, expect.stringMatching(/^chatcmpl-/)]);
    expect(all[2]!.choices[0]!.message.content).toBe("echo: streamed one");
    expect((await licensed.chat.completions.list({ model: "copy" })).data.map((c) => c.id)).toEqual([second.id]);
    expect((await licensed.chat.completions.list({ metadata: { run: "1" } })).data.map((c) => c.id)).toEqual([first.id]);
    expect((await licensed.chat.completions.list({ order: "desc", limit: 1 })).data[0]!.choices[0]!.message.content).toBe("echo: streamed one");
    expect((await licensed.chat.completions.list({ after: first.id, limit: 1 })).data.map((c) => c.id)).toEqual([second.id]);

    const retrieved = await licensed.chat.completions.retrieve(first.id);
    expect(retrieved).toMatchObject({ id: first.id, model: "echo", metadata: { topic: "geo", run: "1" }, choices: [{ message: { content: "echo: capital of France" } }] });
    const messages = (await licensed.chat.completions.messages.list(first.id)).data;
    expect(messages.map((message) => [message.role, message.content])).toEqual([["user", "capital of France"]]);
    expect((await other.chat.completions.list()).data).toEqual([]);
    expect(await other.chat.completions.retrieve(first.id).catch((error: InstanceType<typeof OpenAI.APIError>) => error.status)).toBe(404);

    const updated = await licensed.chat.completions.update(first.id, { metadata: { topic: "history" } });
    expect((updated as unknown as { metadata: unknown }).metadata).toEqual({ topic: "history" });
    const bad = await licensed.chat.completions.update(first.id, { metadata: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"])) }).catch((error: InstanceType<typeof OpenAI.APIError>) => error.status);
    expect(bad).toBe(400);

    expect(await licensed.chat.completions.delete(first.id)).toEqual({ object: "chat.completion.deleted", id: first.id, deleted: true });
    expect(await licensed.chat.completions.retrieve(first.id).catch((error: InstanceType<typeof OpenAI.APIError>) => error.status)).toBe(404);
    expect((await licensed.chat.completions.list()).data).toHaveLength(2);
    // The exchange stays in the log and the chain verifies; the deletion is a chained event.
    const log = (await admin("/admin/log?limit=1000")) as { data: { response: string; kind: string; event_type: string | null; payload: unknown }[] };
    expect(log.data.some((row) => row.response === "echo: capital of France")).toBe(true);
    expect(log.data.find((row) => row.kind === "event" && row.event_type === "chat.completion.deleted")?.payload).toMatchObject({ completion_id: first.id, exchange_chain: expect.any(String), exchange_id: expect.any(Number) });
    expect(await admin("/admin/log/verify")).toMatchObject({ ok: true });
  });
});
