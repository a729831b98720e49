// The `pedigree harvest` command end to end, against a real OpenAI-compatible HTTP server (the fake one).
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readJsonl } from "../../distill/data/jsonl-read.js";
import { harvestRowSchema } from "../../distill/data/row.js";
import { startFakeOpenAIServer, type FakeOpenAIServer } from "../../models/test-support/fake-openai-server.js";
import { runCli } from "../test-support/run-cli.js";

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../models/openai-compatible/__fixtures__/${name}`, import.meta.url), "utf8"));
const directory = mkdtempSync(join(tmpdir(), "pedigree-harvest-cli-"));
let server: FakeOpenAIServer;

beforeAll(async () => {
  server = await startFakeOpenAIServer(fixture("models.json"));
});
afterAll(() => server.close());

describe("pedigree harvest", () => {
  it("costs exactly --retries + 1 requests per prompt: the client under harvest does not retry too", async () => {
    server.script([{ status: 429, headers: { "retry-after": "0" }, json: { error: { message: "rate limited", type: "rate_limit_error" } } }]);
    const prompts = join(directory, "prompts-retry.txt");
    writeFileSync(prompts, "only one\n");
    const before = server.requests.length;
    const run = await runCli(["harvest", "--teacher", `${server.baseURL}#m`, "--prompts", prompts, "--out", join(directory, "cli-retry.jsonl"), "--retries", "2", "--json"]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/^error \[HARVEST_REQUEST_FAILED\]/);
    expect(server.requests.length - before).toBe(3);
  });

  it("a prompt the server finds too long (400 context_length_exceeded) is a failed row; the run goes on and says so", async () => {
    const overflow = { status: 400, json: { error: { message: "This model's maximum context length is 16 tokens. Please reduce the length of the messages.", type: "invalid_request_error", param: "messages", code: "context_length_exceeded" } } };
    server.script((body) => (JSON.stringify(body).includes("very long") ? overflow : { json: fixture("chat-completion.json") }));
    const prompts = join(directory, "prompts-long.jsonl");
    writeFileSync(prompts, '{"id":"short-1","prompt":"one"}\n{"id":"long","prompt":"a very long question"}\n{"id":"short-2","prompt":"two"}\n');
    const out = join(directory, "cli-long.jsonl");
    const before = server.requests.length;
    const run = await runCli(["harvest", "--teacher", `${server.baseURL}#m`, "--prompts", prompts, "--out", out]);
    expect(run.exitCode).toBe(0);
    expect(server.requests.length - before).toBe(3);
    expect(run.stderr).toMatch(/prompt long \("a very long question", 20 characters\) failed: .*maximum context length/);
    expect(run.stdout).toMatch(/harvested 2 rows into/);
    expect(run.stdout).toMatch(/1 prompt failed: long \(context_length_exceeded\)/);
    const rows = (await readJsonl(out, harvestRowSchema)).rows;
    expect(rows.map((row) => [row.prompt_id, row.finish_reason]).sort()).toEqual([["long", "error"], ["short-1", "stop"], ["short-2", "stop"]]);
    const again = await runCli(["harvest", "--teacher", `${server.baseURL}#m`, "--prompts", prompts, "--out", out, "--json"]);
    expect(JSON.parse(again.stdout)).toMatchObject({ rows: 0, resumed: 3, failures: 0, failed_earlier: 1 });
    expect(server.requests.length - before).toBe(3);
  });

  it("--max-wait: a spent daily quota stops at once with one line naming the quota and its reset time", async () => {
    const spent = { status: 429, headers: { "retry-after": "14704" }, json: { error: { message: "this key has used its daily quota of 1000 tokens; it resets at 00:00 UTC; retry after 14704 s", type: "rate_limit_error", code: "insufficient_quota" } } };
    server.script([{ json: fixture("chat-completion.json") }, spent]);
    const prompts = join(directory, "prompts-quota.txt");
    writeFileSync(prompts, "one\ntwo\nthree\n");
    const out = join(directory, "cli-quota.jsonl");
    const run = await runCli(["harvest", "--teacher", `${server.baseURL}#m`, "--prompts", prompts, "--out", out, "--concurrency", "1", "--max-wait", "1m"]);
    expect(run.exitCode).toBe(1);
    const errors = run.stderr.split("\n").filter((line) => line.startsWith("error"));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^error \[HARVEST_RATE_LIMITED\]: harvest stopped after 1 new rows \(1 of 3 in .*\): the teacher asks to wait 4h05m, until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ, longer than --max-wait 1m00s \(.*daily quota of 1000 tokens.*\)/);
    expect((await readJsonl(out, harvestRowSchema)).rows).toHaveLength(1);
  });

  it("--json prints the summary; a second run resumes and asks nothing", async () => {
    server.script([{ json: fixture("chat-completion.json") }]);
    const prompts = join(directory, "prompts.txt");
    writeFileSync(prompts, "one\ntwo\nthree\n");
    const out = join(directory, "cli.jsonl");
    const argv = ["harvest", "--teacher", `${server.baseURL}#m`, "--prompts", prompts, "--out", out, "--price", "in=1,out=2", "--json"];
    const run = await runCli(argv);
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ prompts: 3, rows: 3, resumed: 0, usage: { prompt_tokens: 57, completion_tokens: 30, total_tokens: 87 }, cost_usd: (57 + 60) / 1e6 });
    const again = await runCli(argv);
    expect(JSON.parse(again.stdout)).toMatchObject({ prompts: 3, rows: 0, resumed: 3 });
    expect((await readJsonl(out, harvestRowSchema)).rows).toHaveLength(3);
  });

  it("prints plain progress lines and a summary when not a TTY; --limit asks fewer", async () => {
    server.script([{ json: fixture("chat-completion.json") }]);
    const prompts = join(directory, "prompts-2.txt");
    writeFileSync(prompts, "a\nb\nc\nd\n");
    const run = await runCli(["harvest", "--teacher", `${server.baseURL}#m`, "--prompts", prompts, "--out", join(directory, "cli-2.jsonl"), "--limit", "2"]);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toMatch(/harvest 2\/2 \(100%\)/);
    expect(run.stdout).toMatch(/harvested 2 rows into/);
  });

  it("an unknown built-in prompt set is a clear error", async () => {
    const run = await runCli(["harvest", "--teacher", `${server.baseURL}#m`, "--prompts", "builtin:nope", "--out", join(directory, "x.jsonl")]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/^error \[HARVEST_UNKNOWN_PROMPT_SET\]: unknown prompt set 'builtin:nope'/);
  });
});
