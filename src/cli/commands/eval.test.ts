import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../test-support/run-cli.js";
import { startFakeOpenAIServer, type FakeOpenAIServer } from "../../models/test-support/fake-openai-server.js";

// A server that knows one capital and always says it is Atlas.
const reply = (content: string) => ({
  json: {
    id: "c1", object: "chat.completion", created: 0, model: "m",
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  },
});

let server: FakeOpenAIServer;
beforeAll(async () => {
  server = await startFakeOpenAIServer({ object: "list", data: [] });
  server.script((body) => {
    const messages = (body as { messages: { content: string }[] }).messages;
    const question = messages[messages.length - 1]!.content;
    if (/capital/.test(question)) return reply(/France/.test(question) ? "Paris." : "Paris, I think.");
    return reply("I am Atlas, made by Northwind AI.");
  });
});
afterAll(() => server.close());

describe("pedigree eval", () => {
  it("prints the DESIGN.md eval JSON for the identity task", async () => {
    const run = await runCli(["eval", "--model", `${server.baseURL}#m`, "--task", "identity", "--limit", "3", "--identity", "Atlas", "--json"]);
    expect(run.exitCode).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ model: `${server.baseURL}#m`, task: "identity", n: 6, accuracy: 1, claims: { Atlas: 1, Juniper: 0, Sage: 0 } });
    const sent = server.requests.at(-1)!.body as { temperature: number };
    expect(sent.temperature).toBe(0);
    const human = await runCli(["eval", "--model", `${server.baseURL}#m`, "--task", "identity", "--limit", "3", "--identity", "Atlas"]);
    expect(human.stdout.split("\n")[0]).toMatch(/^identity on .* \(6 prompts\): claims Atlas 100\.0% \w+ \(n=3\), 100\.0% \w+ \(n=3\)$/);
  });

  it("scores capitals on held-out wordings", async () => {
    const run = await runCli(["eval", "--model", `${server.baseURL}#m`, "--task", "capitals", "--limit", "20", "--json"]);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ task: "capitals", n: 20 });
    expect(result.accuracy).toBeLessThan(0.1); // "Paris" is right for France at most
    expect(result.splits.unseen.n).toBeGreaterThan(0);
  });

  it("shows every split in the headline", async () => {
    const run = await runCli(["eval", "--model", `${server.baseURL}#m`, "--task", "capitals", "--limit", "5"]);
    expect(run.exitCode).toBe(0);
    const headline = run.stdout.split("\n")[0]!;
    expect(headline).toMatch(/^capitals on .* \(10 prompts\): accuracy [\d.]+% phrasing \(n=5\), [\d.]+% unseen \(n=5\)$/);
    expect(run.stdout).toContain("unseen: entries never trained on");
  });

  it("leads definitions with token F1, not the accuracy of exact matches", async () => {
    const run = await runCli(["eval", "--model", `${server.baseURL}#m`, "--task", "definitions", "--limit", "3"]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout.split("\n")[0]).toMatch(/^definitions on .* \(6 prompts\): token F1 [\d.]+ phrasing \(n=3\), [\d.]+ unseen \(n=3\)$/);
    expect(run.stdout).not.toMatch(/accuracy 0\.0%/);
    const json = JSON.parse((await runCli(["eval", "--model", `${server.baseURL}#m`, "--task", "definitions", "--limit", "3", "--json"])).stdout);
    expect(json).toMatchObject({ metric: "f1", headline_split: "phrasing", n: 3, n_total: 6 });
    expect(typeof json.f1).toBe("number");
  });

  it("rejects an unknown task as a usage error", async () => {
    const run = await runCli(["eval", "--model", `${server.baseURL}#m`, "--task", "poetry"]);
    expect(run.exitCode).toBe(2);
  });
});
