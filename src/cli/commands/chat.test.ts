import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../test-support/run-cli.js";
import { startFixtureServer, type FakeOpenAIServer } from "../../models/test-support/fake-openai-server.js";

let server: FakeOpenAIServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());

describe("pedigree chat options", () => {
  it("states every default in --help", async () => {
    const help = (await runCli(["chat", "--help"])).stdout.replace(/\s+/g, " ");
    expect(help).toMatch(/--temperature <t>.*default: 1 on white-box models, the server's default on API models/);
    expect(help).toMatch(/--top-p <p>.*default: 1/);
    expect(help).toMatch(/--seed <n>.*default: a random seed/);
    expect(help).toMatch(/--max-tokens <n>.*default: 256/);
    expect(help).toMatch(/--system <text>.*default: none/);
  });

  it.each(["0", "-5", "2.5", ""])("rejects --max-tokens '%s' as a usage error", async (value) => {
    const run = await runCli(["chat", "--model", `${server.baseURL}#m`, "--max-tokens", value, "hello"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("error [USAGE]: --max-tokens must be a whole number of at least 1");
    expect(run.stdout).toBe("");
  });

  it("rejects a negative temperature and a top-p outside (0, 1]", async () => {
    expect((await runCli(["chat", "--model", `${server.baseURL}#m`, "--temperature", "-1", "hi"])).exitCode).toBe(2);
    expect((await runCli(["chat", "--model", `${server.baseURL}#m`, "--top-p", "0", "hi"])).exitCode).toBe(2);
    expect((await runCli(["chat", "--model", `${server.baseURL}#m`, "--top-p", "1.5", "hi"])).exitCode).toBe(2);
  });

  it("sends the parsed values, and leaves an unset temperature to the server", async () => {
    const given = await runCli(["chat", "--model", `${server.baseURL}#m`, "--json", "--api-key", "k1", "--temperature", "0.5", "--max-tokens", "7", "--seed", "3", "hi"]);
    expect(given.stderr).toBe("");
    expect(given.exitCode).toBe(0);
    expect(server.requests.at(-1)!.body).toMatchObject({ temperature: 0.5, max_tokens: 7, seed: 3 });
    await runCli(["chat", "--model", `${server.baseURL}#m`, "--json", "--api-key", "k1", "hi"]);
    const unset = server.requests.at(-1)!.body as Record<string, unknown>;
    expect(unset.temperature).toBeUndefined();
    expect(unset.max_tokens ?? unset.max_completion_tokens).toBe(256);
  });
});
