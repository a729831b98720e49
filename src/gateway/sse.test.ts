// The streamed bytes, exactly: OpenAI's SSE framing with role, content, finish and usage chunks.
import { afterAll, beforeAll, expect, it } from "vitest";
import { echoModel } from "./test-support/fake-models.js";
import { startHarness, type Harness } from "./test-support/harness.js";

let harness: Harness;
let secret: string;
beforeAll(async () => {
  harness = await startHarness({ echo: echoModel(), dying: echoModel({ failAfter: 2 }) });
  secret = (await harness.createKey("sse")).secret;
});
afterAll(() => harness.stop());

async function rawStream(body: unknown): Promise<{ status: number; type: string | null; text: string }> {
  const response = await fetch(`${harness.baseURL}/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, type: response.headers.get("content-type"), text: await response.text() };
}

function expected(id: string, created: number, includeUsage: boolean): string {
  const usage = includeUsage ? ',"usage":null' : "";
  const head = `{"id":"${id}","object":"chat.completion.chunk","created":${created},"model":"echo","system_fingerprint":null,"choices":`;
  const choice = (delta: string, finish: string) => `[{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${finish}}]`;
  return [
    `data: ${head}${choice('{"role":"assistant","content":"","refusal":null}', "null")}${usage}}\n\n`,
    `data: ${head}${choice('{"content":"echo:"}', "null")}${usage}}\n\n`,
    `data: ${head}${choice('{"content":" hi"}', "null")}${usage}}\n\n`,
    `data: ${head}${choice("{}", '"stop"')}${usage}}\n\n`,
    includeUsage ? `data: ${head}[],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}\n\n` : "",
    "data: [DONE]\n\n",
  ].join("");
}

it("streams OpenAI's SSE byte for byte, with a usage chunk when asked", async () => {
  for (const includeUsage of [false, true]) {
    const run = await rawStream({ model: "echo", messages: [{ role: "user", content: "hi" }], stream: true, ...(includeUsage ? { stream_options: { include_usage: true } } : {}) });
    expect(run.status).toBe(200);
    expect(run.type).toBe("text/event-stream; charset=utf-8");
    const first = JSON.parse(run.text.slice("data: ".length, run.text.indexOf("\n\n"))) as { id: string; created: number };
    expect(first.id).toMatch(/^chatcmpl-[0-9a-f]+$/);
    expect(run.text).toBe(expected(first.id, first.created, includeUsage));
  }
});

it("gives every completion its own id", async () => {
  const ids = new Set<string>();
  for (let i = 0; i < 3; i++) {
    const run = await rawStream({ model: "echo", messages: [{ role: "user", content: "hi" }], stream: true });
    ids.add((JSON.parse(run.text.slice(6, run.text.indexOf("\n\n"))) as { id: string }).id);
  }
  expect(ids.size).toBe(3);
});

it("a backend dying mid-stream ends the stream with an error event and no [DONE], and is logged", async () => {
  const run = await rawStream({ model: "dying", messages: [{ role: "user", content: "a b c d" }], stream: true });
  const events = run.text.split("\n\n").filter(Boolean);
  expect(events).toHaveLength(4);
  expect(JSON.parse(events[3]!.slice(6))).toMatchObject({ error: { type: "upstream_error", code: "upstream_error" } });
  expect(run.text).not.toContain("[DONE]");
  const row = harness.db.prepare("SELECT status, response FROM exchanges WHERE model = 'dying'").get();
  expect(row).toEqual({ status: 502, response: "echo: a" });
});
