// The official openai client, unmodified, pointed at the gateway: answers, streams, and every error.
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { echoModel } from "./test-support/fake-models.js";
import { startFakeUpstream, UPSTREAM_TEXT, UPSTREAM_USAGE, type FakeUpstream } from "./test-support/fake-upstream.js";
import { startHarness, type Harness } from "./test-support/harness.js";

let harness: Harness;
let upstream: FakeUpstream;
let secret: string;
// Never answers on its own: only the gateway's 250 ms upstream timeout ends it (no race between timers).
const slow = echoModel({ id: "slow", hangAfter: 0 });
const echo = echoModel();

beforeAll(async () => {
  upstream = await startFakeUpstream();
  harness = await startHarness(
    { echo, slow, upstream: `${upstream.baseURL}#up-model`, broken: echoModel({ fail: () => Object.assign(new Error("engine crashed"), { status: 500 }) }) },
    { config: { limits: { body_bytes: 4096, upstream_timeout_ms: 250 } } },
  );
  secret = (await harness.createKey("main")).secret;
});
afterAll(async () => {
  await harness.stop();
  await upstream.close();
});

const ask = (content: string) => [{ role: "user" as const, content }];

describe("answers through the openai client", () => {
  it("answers a non-streamed request with usage", async () => {
    const completion = await harness.client(secret).chat.completions.create({ model: "echo", messages: ask("hello there"), seed: 1, temperature: 0 });
    expect(completion.object).toBe("chat.completion");
    expect(completion.choices[0]!.message.content).toBe("echo: hello there");
    expect(completion.choices[0]!.finish_reason).toBe("stop");
    expect(completion.usage).toEqual({ prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 });
  });

  it("streams with a final usage chunk that has empty choices", async () => {
    const stream = await harness.client(secret).chat.completions.create({ model: "echo", messages: ask("a b c"), stream: true, stream_options: { include_usage: true } });
    let text = "";
    const usages: unknown[] = [];
    let finish: string | null = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? "";
      if (chunk.choices[0]?.finish_reason) finish = chunk.choices[0].finish_reason;
      if (chunk.usage) usages.push({ usage: chunk.usage, choices: chunk.choices.length });
    }
    expect(text).toBe("echo: a b c");
    expect(finish).toBe("stop");
    expect(usages).toEqual([{ usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 }, choices: 0 }]);
  });

  it("passes max_tokens through and reports finish_reason length", async () => {
    const completion = await harness.client(secret).chat.completions.create({ model: "echo", messages: ask("one two three four"), max_completion_tokens: 2 });
    expect(completion.choices[0]!.message.content).toBe("echo: one");
    expect(completion.choices[0]!.finish_reason).toBe("length");
  });

  it("returns logprobs in OpenAI's shape", async () => {
    const completion = await harness.client(secret).chat.completions.create({ model: "echo", messages: ask("x"), logprobs: true, top_logprobs: 1 });
    expect(completion.choices[0]!.logprobs!.content).toEqual([{ token: "echo:", logprob: -0.5, bytes: [...Buffer.from("echo:")], top_logprobs: [{ token: "echo:", logprob: -0.5, bytes: [...Buffer.from("echo:")] }] }]);
  });

  it("passes through to an OpenAI-compatible upstream with the upstream's usage", async () => {
    const client = harness.client(secret);
    const completion = await client.chat.completions.create({ model: "upstream", messages: ask("capital?") });
    expect(completion.choices[0]!.message.content).toBe(UPSTREAM_TEXT);
    expect(completion.usage).toEqual(UPSTREAM_USAGE);
    const stream = await client.chat.completions.create({ model: "upstream", messages: ask("capital?"), stream: true, stream_options: { include_usage: true } });
    let text = "";
    let usage: unknown;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? "";
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe(UPSTREAM_TEXT);
    expect(usage).toEqual(UPSTREAM_USAGE);
  });

  it("lists the models", async () => {
    const models = await harness.client(secret).models.list();
    expect(models.data.map((model) => model.id).sort()).toEqual(["broken", "echo", "slow", "upstream"]);
  });
});

describe("errors through the openai client", () => {
  const expectError = async (promise: Promise<unknown>, status: number, code: string) => {
    const error = await promise.then(() => null, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    const apiError = error as InstanceType<typeof OpenAI.APIError>;
    expect([apiError.status, apiError.code]).toEqual([status, code]);
    expect(apiError.error).toMatchObject({ message: expect.any(String), type: expect.any(String) });
    return apiError;
  };

  it("401 for a missing or wrong key", async () => {
    await expectError(harness.client("pdg-wrong").chat.completions.create({ model: "echo", messages: ask("x") }), 401, "invalid_api_key");
    await expectError(harness.client("pdg-wrong").models.list(), 401, "invalid_api_key");
  });

  it("404 for an unknown model", async () => {
    const error = await expectError(harness.client(secret).chat.completions.create({ model: "nope", messages: ask("x") }), 404, "model_not_found");
    expect(error.param).toBe("model");
  });

  it("400 for bad fields, n past 8, and n > 1 with a stream", async () => {
    await expectError(harness.client(secret).chat.completions.create({ model: "echo", messages: [] }), 400, "invalid_request");
    await expectError(harness.client(secret).chat.completions.create({ model: "echo", messages: ask("x"), temperature: 7 }), 400, "invalid_request");
    const error = await expectError(harness.client(secret).chat.completions.create({ model: "echo", messages: ask("x"), n: 9 }), 400, "unsupported_value");
    expect(error.param).toBe("n");
    await expectError(harness.client(secret).chat.completions.create({ model: "echo", messages: ask("x"), n: 2, stream: true }), 400, "unsupported_value");
  });

  it("n choices: one generation each (seed + i), one log row each, usage summed", async () => {
    const { id } = (await harness.app.context.keys.authenticate(secret))!;
    const before = (await harness.app.context.reader.query({ keyId: id, limit: 1000 })).length;
    const completion = await harness.client(secret).chat.completions.create({ model: "echo", messages: ask("three choices please"), n: 3, seed: 7, max_tokens: 2 });
    expect(completion.choices.map((choice) => [choice.index, choice.message.content, choice.finish_reason])).toEqual([[0, "echo: three", "length"], [1, "echo: three", "length"], [2, "echo: three", "length"]]);
    expect(completion.usage).toMatchObject({ completion_tokens: 6, total_tokens: completion.usage!.prompt_tokens + 6 });
    const rows = (await harness.app.context.reader.query({ keyId: id, limit: 1000 })).slice(before);
    expect(rows.map((row) => [row.status, row.response, (row.request as { params: { n: number } }).params.n])).toEqual([[200, "echo: three", 3], [200, "echo: three", 3], [200, "echo: three", 3]]);
    expect(echo.requests.slice(-3).map((request) => request.seed)).toEqual([7, 8, 9]);
  });

  it("400 for malformed JSON", async () => {
    const response = await fetch(`${harness.baseURL}/chat/completions`, { method: "POST", headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" }, body: "{not json" });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("invalid_json");
  });

  it("413 for a body over the limit", async () => {
    await expectError(harness.client(secret).chat.completions.create({ model: "echo", messages: ask("x".repeat(5000)) }), 413, "request_too_large");
  });

  it("429 with Retry-After over a limit", async () => {
    const limited = (await harness.createKey("limited", { rpm: 1 })).secret;
    await harness.client(limited).chat.completions.create({ model: "echo", messages: ask("x") });
    const error = await expectError(harness.client(limited).chat.completions.create({ model: "echo", messages: ask("x") }), 429, "rate_limit_exceeded");
    expect(Number(error.headers?.get("retry-after"))).toBeGreaterThan(0);
  });

  it("502 when the backend fails and when an upstream answers 5xx", async () => {
    await expectError(harness.client(secret).chat.completions.create({ model: "broken", messages: ask("x") }), 502, "upstream_error");
    upstream.mode = 503;
    try {
      await expectError(harness.client(secret).chat.completions.create({ model: "upstream", messages: ask("x") }), 502, "upstream_error");
      await expectError(harness.client(secret).chat.completions.create({ model: "upstream", messages: ask("x"), stream: true }), 502, "upstream_error");
    } finally {
      upstream.mode = "ok";
    }
  });

  it("504 when the backend times out", async () => {
    await expectError(harness.client(secret).chat.completions.create({ model: "slow", messages: ask("x") }), 504, "upstream_timeout");
    upstream.mode = "hang";
    try {
      await expectError(harness.client(secret).chat.completions.create({ model: "upstream", messages: ask("x") }), 504, "upstream_timeout");
    } finally {
      upstream.mode = "ok";
    }
  });
});
