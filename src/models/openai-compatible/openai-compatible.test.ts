// The OpenAI-compatible adapter on both transports: the wire format from recorded fixtures, the one
// retry loop (waits recorded, not slept), error mapping, and the whole ChatModel contract against
// a tiny seeded engine model served over the wire.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tinyGguf } from "../../engine/test-support/tiny-gguf.js";
import { openEngineModel } from "../builtin/index.js";
import { ModelError } from "../errors.js";
import { runChatModelSuite } from "../test-support/chat-model.case.js";
import { serveChatModel, type ChatModelServer } from "../test-support/chat-model-server.js";
import { startFakeOpenAIServer, type FakeOpenAIServer } from "../test-support/fake-openai-server.js";
import { createOpenAICompatibleModel, type OpenAICompatibleOptions, type TransportName } from "./index.js";

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), "utf8");
const completion = JSON.parse(fixture("chat-completion.json"));
const withLogprobs = JSON.parse(fixture("chat-completion-logprobs.json"));
const stream = fixture("chat-stream.sse");
const hello = { messages: [{ role: "user" as const, content: "hello" }] };
const transports: TransportName[] = ["sdk", "http"];

let server: FakeOpenAIServer;
beforeAll(async () => {
  server = await startFakeOpenAIServer(JSON.parse(fixture("models.json")));
});
afterAll(() => server.close());

describe.each(transports)("openai-compatible adapter (%s transport)", (transport) => {
  const waits: number[] = [];
  const model = (extra: Partial<OpenAICompatibleOptions> = {}) =>
    createOpenAICompatibleModel({ baseURL: server.baseURL, model: "gpt-4o-mini", apiKey: "sk-test", transport, sleep: async (ms) => void waits.push(ms), ...extra });
  const sent = (action: () => Promise<unknown>) => async () => {
    const before = server.requests.length;
    waits.length = 0;
    const outcome = await action().then((value) => ({ value }), (error: unknown) => ({ error }));
    return { ...outcome, requests: server.requests.length - before, waits: [...waits] };
  };
  const consume = async (deltas: AsyncIterable<unknown>) => {
    for await (const _ of deltas);
  };

  it("sends the request fields and reads text, finish reason and usage", async () => {
    server.script([{ json: completion }]);
    const result = await model().generate({ ...hello, maxTokens: 5, temperature: 0.2, topP: 0.9, seed: 3, stop: ["\n"] });
    expect(result).toMatchObject({ text: "Hello! How can I assist you today?", finishReason: "stop", usage: { promptTokens: 19, completionTokens: 10, totalTokens: 29 } });
    expect(server.requests.at(-1)!.body).toMatchObject({ model: "gpt-4o-mini", max_tokens: 5, temperature: 0.2, top_p: 0.9, seed: 3, stop: ["\n"] });
    expect(server.requests.at(-1)!.headers.authorization).toBe("Bearer sk-test");
  });

  it("asks for and reads top logprobs", async () => {
    server.script([{ json: withLogprobs }]);
    const result = await model().generate({ ...hello, topLogprobs: 2 });
    expect(server.requests.at(-1)!.body).toMatchObject({ logprobs: true, top_logprobs: 2 });
    expect(result.finishReason).toBe("length");
    expect(result.logprobs![0]).toMatchObject({ token: "Paris", top: [{ token: "Paris" }, { token: "The", logprob: -13.25 }] });
  });

  it("streams deltas and the final usage chunk", async () => {
    server.script([{ sse: stream }]);
    let text = "";
    let last;
    for await (const delta of model().stream(hello)) {
      text += delta.text;
      last = delta;
    }
    expect(text).toBe("Hello there!");
    expect(last).toMatchObject({ finishReason: "stop", usage: { promptTokens: 9, completionTokens: 3, totalTokens: 12 } });
    expect(server.requests.at(-1)!.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it("retries 429 and 5xx once per retry, waiting as long as Retry-After says", async () => {
    server.script([
      { status: 429, headers: { "retry-after": "1" }, json: { error: { message: "slow down" } } },
      { status: 503, headers: { "retry-after-ms": "10" }, json: { error: { message: "busy" } } },
      { json: completion },
    ]);
    const run = await sent(() => model({ maxRetries: 3 }).generate(hello))();
    expect(run).toMatchObject({ requests: 3, waits: [1000, 10], value: { text: expect.stringContaining("Hello") } });
  });

  it("backs off exponentially without Retry-After, and makes maxRetries + 1 attempts in all", async () => {
    server.script([{ status: 503, json: { error: { message: "busy" } } }]);
    const run = await sent(() => model().generate(hello))();
    expect(run).toMatchObject({ requests: 3, waits: [500, 1000], error: { statusCode: 503, isRetryable: true } });
    const once = await sent(() => model({ maxRetries: 0 }).generate(hello))();
    expect(once).toMatchObject({ requests: 1, waits: [] });
  });

  it("does not wait for a Retry-After beyond maxRetryWaitMs and hands it to the caller", async () => {
    server.script([{ status: 429, headers: { "retry-after": "14704" }, json: { error: { message: "daily quota used" } } }]);
    const run = await sent(() => model({ maxRetries: 5 }).generate(hello))();
    expect(run).toMatchObject({ requests: 1, waits: [], error: { code: "MODEL_API_ERROR", statusCode: 429 } });
    const headers = ((run as { error: ModelError }).error.cause as { headers: Headers | Record<string, string> }).headers;
    expect(headers instanceof Headers ? headers.get("retry-after") : headers["retry-after"]).toBe("14704");
  });

  it("gives typed errors with statusCode and isRetryable", async () => {
    server.script([{ status: 401, json: { error: { message: "Incorrect API key provided", type: "invalid_request_error", code: "invalid_api_key" } } }]);
    const run = await sent(() => model().generate(hello))();
    expect(ModelError.isInstance((run as { error: unknown }).error)).toBe(true);
    expect(run).toMatchObject({ requests: 1, error: { code: "MODEL_API_ERROR", statusCode: 401, isRetryable: false, message: expect.stringContaining("Incorrect API key") } });
  });

  it("names a prompt longer than the context MODEL_CONTEXT_OVERFLOW and does not retry it", async () => {
    const overflow = { error: { message: "This model's maximum context length is 8192 tokens.", type: "invalid_request_error", code: "context_length_exceeded" } };
    server.script([{ status: 400, json: overflow }]);
    const run = await sent(() => model().generate(hello))();
    expect(run).toMatchObject({ requests: 1, error: { code: "MODEL_CONTEXT_OVERFLOW", statusCode: 400, isRetryable: false } });
  });

  it("times out slow servers", async () => {
    server.script([{ hang: true }]);
    await expect(model({ timeoutMs: 50, maxRetries: 0 }).generate(hello)).rejects.toMatchObject({ code: "MODEL_TIMEOUT", isRetryable: true });
  });

  it("reports a stream that dies mid-way, without retrying text already given", async () => {
    server.script([{ sse: stream, dieAfterBytes: 400 }]);
    const run = await sent(() => consume(model().stream(hello)))();
    expect(run).toMatchObject({ requests: 1, error: { code: expect.stringMatching(/MODEL_API_ERROR|MODEL_CONNECTION/), isRetryable: true } });
  });

  it("reports an error event inside a stream", async () => {
    const opening = stream.split("\n\n")[0]!;
    server.script([{ sse: `${opening}\n\ndata: {"error":{"message":"overloaded mid-answer"}}\n\n` }]);
    await expect(consume(model().stream(hello))).rejects.toMatchObject({ code: "MODEL_API_ERROR", message: expect.stringContaining("overloaded mid-answer") });
  });

  it("reports an aborted request as MODEL_ABORTED", async () => {
    server.script([{ hang: true }]);
    const controller = new AbortController();
    const pending = model().generate({ ...hello, signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: "MODEL_ABORTED", isRetryable: false });
  });

  it("reports an unreachable server", async () => {
    const dead = createOpenAICompatibleModel({ baseURL: "http://127.0.0.1:9/v1", model: "m", maxRetries: 0, transport });
    await expect(dead.generate(hello)).rejects.toMatchObject({ code: "MODEL_CONNECTION" });
  });
});

// The deterministic contract over the wire: a tiny seeded model answers, so stream, generate, stop
// sequences, maxTokens and seeds must agree exactly as they do on the engine itself.
const dir = mkdtempSync(join(tmpdir(), "pedigree-openai-compatible-"));
const path = join(dir, "tiny.gguf");
writeFileSync(path, tinyGguf({ layers: 1, width: 32, heads: 4, ff: 64, seed: 9 }).bytes);
let modelServer: ChatModelServer;
beforeAll(async () => {
  modelServer = await serveChatModel(await openEngineModel(path));
});
afterAll(async () => {
  await modelServer.close();
  rmSync(dir, { recursive: true, force: true });
});

for (const transport of transports) {
  runChatModelSuite(`openai-compatible (${transport} transport, in front of a seeded model)`, {
    deterministic: true,
    create: async () => createOpenAICompatibleModel({ baseURL: modelServer.baseURL, model: "tiny", transport, maxRetries: 0 }),
  });
}
