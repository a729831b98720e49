// The built command as a user runs it: a child process, its exit code and what it prints. Bad model
// files must end in one readable line, never in llama.cpp aborting the process.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { brokenGgufCases } from "../engine/test-support/broken-gguf.js";
import { writeTinyGguf } from "../engine/test-support/tiny-gguf.js";
import { startFixtureServer, type FakeOpenAIServer } from "../models/test-support/fake-openai-server.js";
import { runCliProcess } from "./test-support/run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "pedigree-cli-"));

let server: FakeOpenAIServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());

describe("pedigree as a process", () => {
  it("chat answers through an OpenAI-compatible server", async () => {
    const run = await runCliProcess(["chat", "--model", `${server.baseURL}#m`, "--json", "hello"]);
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout).usage).toEqual({ prompt_tokens: 19, completion_tokens: 10, total_tokens: 29 });
  });

  it.each(brokenGgufCases())("score on a GGUF with %s exits 1 with one line", async (name, bytes, code) => {
    const path = join(dir, `${name.replace(/\W+/g, "-")}.gguf`);
    writeFileSync(path, bytes);
    for (const reference of [`llamacpp:${path}`, path]) {
      const run = await runCliProcess(["score", "--model", reference, "--text", "hi"]);
      expect(run.exitCode).toBe(1);
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
      expect(run.stderr).toContain(`[${code}]`);
    }
  });

  it("score prints every position's log-probability and top alternatives for a GGUF on llama.cpp and on the engine", async () => {
    const path = join(dir, "tiny.gguf");
    await writeTinyGguf(path, { seed: 5 });
    const [onLlama, onEngine] = await Promise.all(
      [`llamacpp:${path}`, path].map(async (reference) => {
        const run = await runCliProcess(["score", "--model", reference, "--text", "The cat sat on the mat.", "--top", "3", "--json"]);
        expect(run.exitCode).toBe(0);
        return JSON.parse(run.stdout);
      }),
    );
    expect(onLlama.tokens[0]).toMatchObject({ logprob: null, top: [] });
    expect(onLlama.tokens.length).toBeGreaterThan(3);
    onLlama.tokens.slice(1).forEach((token: { id: number; logprob: number; top: { logprob: number }[] }, i: number) => {
      expect(token.top).toHaveLength(3);
      expect(token.top[0]!.logprob).toBeGreaterThanOrEqual(token.top[2]!.logprob);
      expect(Math.abs(Math.exp(token.logprob) - Math.exp(onEngine.tokens[i + 1].logprob))).toBeLessThan(1e-3);
    });
  });
});
