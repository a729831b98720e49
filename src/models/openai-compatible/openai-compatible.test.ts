import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOpenAIServer, type FakeOpenAIServer } from "../test-support/fake-openai-server.js";
import { runChatModelSuite } from "../test-support/chat-model.case.js";
import { createOpenAICompatibleModel } from "./index.js";
import { ModelError } from "../errors.js";

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), "utf8");
const completion = JSON.parse(fixture("chat-completion.json"));
const withLogprobs = JSON.parse(fixture("chat-completion-logprobs.json"));
const stream = fixture("chat-stream.sse");
const hello = { messages: [{ role: "user" as const, content: "hello" }] };

let server: FakeOpenAIServer;
beforeAll(async () => {
  server = await startFakeOpenAIServer(JSON.parse(fixture("models.json")));
});
afterAll(() => server.close());

function model(extra: { maxRetries?: number; timeoutMs?: number } = {}) {
  return createOpenAICompatibleModel({ baseURL: server.baseURL, model: "gpt-4o-mini", apiKey: "sk-test", ...extra });
}

describe("openai-compatible adapter", () => {
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

  it("retries 429 and 5xx, honouring Retry-After", async () => {
    server.script([
      { status: 429, headers: { "retry-after": "1" }, json: { error: { message: "slow down" } } },
      { status: 503, headers: { "retry-after-ms": "10" }, json: { error: { message: "busy" } } },
      { json: completion },
    ]);
    const before = server.requests.length;
    const started = Date.now();
    const result = await model({ maxRetries: 3 }).generate(hello);
    expect(result.text).toContain("Hello");
    expect(server.requests.length - before).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it("gives typed errors with statusCode and isRetryable", async () => {
    server.script([{ status: 401, json: { error: { message: "Incorrect API key provided", type: "invalid_request_error", code: "invalid_api_key" } } }]);
    const error = await model().generate(hello).catch((caught: unknown) => caught);
    expect(ModelError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: "MODEL_API_ERROR", statusCode: 401, isRetryable: false });
    expect((error as Error).message).toContain("Incorrect API key");

    server.script([{ status: 500, json: { error: { message: "boom" } } }]);
    await expect(model({ maxRetries: 0 }).generate(hello)).rejects.toMatchObject({ statusCode: 500, isRetryable: true });
  });

  it("times out slow servers", async () => {
    server.script([{ json: completion, delayMs: 400 }]);
    await expect(model({ timeoutMs: 100, maxRetries: 0 }).generate(hello)).rejects.toMatchObject({ code: "MODEL_TIMEOUT", isRetryable: true });
  });

  it("reports a stream that dies mid-way", async () => {
    server.script([{ sse: stream, dieAfterBytes: 400 }]);
    const consume = async () => {
      for await (const _ of model({ maxRetries: 0 }).stream(hello));
    };
    await expect(consume()).rejects.toBeInstanceOf(ModelError);
  });

  it("reports an unreachable server", async () => {
    const dead = createOpenAICompatibleModel({ baseURL: "http://127.0.0.1:9/v1", model: "m", maxRetries: 0 });
    await expect(dead.generate(hello)).rejects.toMatchObject({ code: "MODEL_CONNECTION" });
  });
});

runChatModelSuite("openai-compatible (fixtures)", {
  deterministic: false,
  create: async () => {
    server.script((body) => (body.stream ? { sse: stream } : { json: completion }));
    return model();
  },
});
