// pedigree serve, in-process: it listens on a port the system picks, reports its /v1 URL, refuses a
// second server on its data directory, serves a key made with `pedigree keys create` through the openai
// client, then SIGTERM drains it, stops it and frees the directory.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runCli, type CliRun } from "../test-support/run-cli.js";
import { lockPath } from "../../gateway/data-lock.js";
import { startFakeUpstream, UPSTREAM_TEXT, type FakeUpstream } from "../../gateway/test-support/fake-upstream.js";

let dir: string;
let upstream: FakeUpstream;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "pedigree-serve-"));
  upstream = await startFakeUpstream();
});
afterAll(async () => {
  await upstream.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Summary {
  url: string;
  port: number;
  data: string;
  models: string[];
  watermark_key_id: string | null;
}

/** Starts `serve … --json` in-process and resolves with its summary once it is listening. */
function startServe(argv: string[]): { summary: Promise<Summary>; done: Promise<CliRun> } {
  const done = runCli(["serve", ...argv, "--json"]);
  // runCli has put its capture in place synchronously; listen on it for the one JSON document.
  const capture = process.stdout.write;
  let text = "";
  const summary = new Promise<Summary>((resolve) => {
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      text += String(chunk);
      if (text.trimEnd().endsWith("}")) resolve(JSON.parse(text) as Summary);
      return (capture as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stdout.write;
  });
  return { summary, done };
}

it("serves the configured models until SIGTERM, one server per data directory", async () => {
  const data = join(dir, "data");
  const config = join(dir, "gateway.json");
  writeFileSync(config, JSON.stringify({ data, models: { teacher: `${upstream.baseURL}#up` }, watermark: { key_file: join(dir, "wm.key") } }));
  const before = new Set(process.listeners("SIGTERM"));
  const serving = startServe(["--config", config, "--port", "0"]);
  const summary = await serving.summary;
  expect(summary).toMatchObject({ url: `http://127.0.0.1:${summary.port}/v1`, data, models: ["teacher"], watermark_key_id: expect.stringMatching(/^[0-9a-f]{16}$/) });
  expect(summary.port).toBeGreaterThan(0);

  const second = await runCli(["serve", "--config", config, "--port", "0", "--json"]);
  expect(second.exitCode).toBe(1);
  expect(second.stderr).toMatch(new RegExp(`^error \\[DATA_DIR_LOCKED\\]: another gateway \\(pid ${process.pid} .*${data}`));

  const key = JSON.parse((await runCli(["keys", "create", "--name", "customer", "--config", config, "--json"])).stdout) as { key: string };
  const client = new OpenAI({ apiKey: key.key, baseURL: summary.url, maxRetries: 0 });
  const completion = await client.chat.completions.create({ model: "teacher", messages: [{ role: "user", content: "capital?" }] });
  expect(completion.choices[0]!.message.content).toBe(UPSTREAM_TEXT);

  const stop = process.listeners("SIGTERM").find((listener) => !before.has(listener))!;
  (stop as (signal: string) => void)("SIGTERM");
  expect((await serving.done).exitCode).toBe(0);
  expect(existsSync(lockPath(data))).toBe(false);
  const verify = await runCli(["log", "verify", "--config", config, "--json"]);
  expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, rows: 1 });
});
