// Harvest through a real OpenAI-compatible HTTP server (the fake one) by an http://…/v1#m reference.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveModel } from "../../models/resolve.js";
import { startFakeOpenAIServer, type FakeOpenAIServer } from "../../models/test-support/fake-openai-server.js";
import { readJsonl } from "../data/jsonl-read.js";
import { harvestRowSchema } from "../data/row.js";
import { harvest } from "./harvest.js";
import { parsePromptText } from "./prompts.js";

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../models/openai-compatible/__fixtures__/${name}`, import.meta.url), "utf8"));
const directory = mkdtempSync(join(tmpdir(), "pedigree-harvest-http-"));
let server: FakeOpenAIServer;

beforeAll(async () => {
  server = await startFakeOpenAIServer(fixture("models.json"));
});
afterAll(() => server.close());

describe("harvest through an OpenAI-compatible server", () => {
  it("prints no MaxListenersExceededWarning past 10 requests on one run signal", async () => {
    server.script([{ json: fixture("chat-completion.json") }]);
    const model = await resolveModel(`${server.baseURL}#m`, { maxRetries: 0 });
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    const controller = new AbortController();
    try {
      const prompts = parsePromptText(Array.from({ length: 12 }, (_, i) => `question ${i}`).join("\n"), "p.txt");
      await harvest({ model, teacher: "http", prompts, out: join(directory, "listeners.jsonl"), concurrency: 1, signal: controller.signal });
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings.filter((warning) => warning.name === "MaxListenersExceededWarning")).toEqual([]);
  });

  it("records top logprobs, usage and finish reason from the API", async () => {
    server.script([{ json: fixture("chat-completion-logprobs.json") }]);
    const model = await resolveModel(`${server.baseURL}#m`, { apiKey: "k-harvest" });
    const out = join(directory, "logprobs.jsonl");
    const prompts = parsePromptText('{"prompt":"Capital of France?","id":"fr"}\n{"messages":[{"role":"user","content":"Capital of Peru?"}]}\n', "p.jsonl");
    await harvest({ model, teacher: `${server.baseURL}#m`, prompts, out, topLogprobs: 50, temperature: 0, seed: 9 });
    const { rows } = await readJsonl(out, harvestRowSchema);
    expect(rows).toHaveLength(2);
    const france = rows.find((row) => row.prompt_id === "fr")!;
    expect(france).toMatchObject({ response: "Paris", finish_reason: "length", usage: { prompt_tokens: 14, completion_tokens: 1, total_tokens: 15 } });
    expect(france.params.top_logprobs).toBe(20);
    expect(france.logprobs![0]!.top.map((alt) => alt.token)).toEqual(["Paris", "The"]);
    const bodies = server.requests.slice(-2).map((request) => request.body as Record<string, unknown>);
    expect(bodies.map((body) => Number(body.seed)).sort((a, b) => a - b)).toEqual([9, 10]);
    expect(bodies[0]).toMatchObject({ model: "m", logprobs: true, top_logprobs: 20, temperature: 0 });
    expect(server.requests.at(-1)!.headers.authorization).toBe("Bearer k-harvest");
  });

  it("outlasts the client's own retries with whole-request retries honouring Retry-After", async () => {
    const busy = { status: 429, headers: { "retry-after": "0" }, json: { error: { message: "rate limited" } } };
    server.script([busy, busy, busy, { json: fixture("chat-completion.json") }]);
    const model = await resolveModel(`${server.baseURL}#m`, { maxRetries: 0 });
    const before = server.requests.length;
    const delays: number[] = [];
    const summary = await harvest({
      model, teacher: "http", prompts: parsePromptText("hello\n", "p.txt"), out: join(directory, "retry.jsonl"),
      retry: { sleep: async (ms) => void delays.push(ms) },
    });
    expect(summary).toMatchObject({ rows: 1, retries: 3 });
    expect(delays).toEqual([0, 0, 0]);
    expect(server.requests.length - before).toBe(4);
  });
});
