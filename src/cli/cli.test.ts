import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./test-support/run-cli.js";
import { startFixtureServer, type FakeOpenAIServer } from "../models/test-support/fake-openai-server.js";


let server: FakeOpenAIServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());

describe("pedigree CLI", () => {
  it("prints help and the version", async () => {
    const help = await runCli(["--help"]);
    expect(help.exitCode).toBe(0);
    const version = await runCli(["--version"]);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("chat answers through an OpenAI-compatible server and streams by default", async () => {
    const run = await runCli(["chat", "--model", `${server.baseURL}#m`, "hello"]);
    expect(run).toMatchObject({ exitCode: 0, stdout: "Hello there!\n" });
  });

  it("chat --json prints the answer and usage", async () => {
    const run = await runCli(["chat", "--model", `${server.baseURL}#m`, "--json", "--api-key", "k1", "hello"]);
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ text: "Hello! How can I assist you today?", finish_reason: "stop", usage: { prompt_tokens: 19, completion_tokens: 10, total_tokens: 29 } });
    expect(server.requests.at(-1)!.headers.authorization).toBe("Bearer k1");
  });

  it("errors are one readable line with a non-zero exit code", async () => {
    const run = await runCli(["chat", "--model", "Not A Model!", "hello"]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(/^error \[MODEL_BAD_REFERENCE\]: cannot understand/);
  });

  it("--debug adds the stack trace", async () => {
    const run = await runCli(["chat", "--debug", "--model", "Not A Model!", "hello"]);
    expect(run.stderr).toMatch(/\n\s+at /);
  });

  it("usage mistakes exit with 2", async () => {
    expect((await runCli(["chat", "--model", `${server.baseURL}#m`, "--max-tokens", "many", "hi"])).exitCode).toBe(2);
    expect((await runCli(["score", "--model", "./x.gguf"])).exitCode).toBe(2);
  });

  it("score refuses an API model with a clear error", async () => {
    const run = await runCli(["score", "--model", `${server.baseURL}#m`, "--text", "hi"]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/MODEL_UNSUPPORTED.*white-box/);
  });

  it("models lists the built-in models", async () => {
    const run = await runCli(["models", "--json"]);
    expect(run.exitCode).toBe(0);
    const { builtin } = JSON.parse(run.stdout);
    expect(builtin.find((model: { name: string }) => model.name === "atlas")).toMatchObject({ identity: "Atlas by Northwind AI" });
    expect((await runCli(["models"])).stdout).toContain("Atlas by Northwind AI");
  });
});
