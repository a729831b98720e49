// pedigree serve, in-process: a config file, a key made with `pedigree keys create`, a request through
// the openai client, then SIGTERM drains and stops it.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runCli } from "../cli/test-support/run-cli.js";
import { startFakeUpstream, UPSTREAM_TEXT, type FakeUpstream } from "./test-support/fake-upstream.js";

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

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

it("serves the configured models until SIGTERM", async () => {
  const config = join(dir, "gateway.json");
  writeFileSync(config, JSON.stringify({ data: join(dir, "data"), models: { teacher: `${upstream.baseURL}#up` }, watermark: { key_file: join(dir, "wm.key") } }));
  const key = JSON.parse((await runCli(["keys", "create", "--name", "customer", "--config", config, "--json"])).stdout) as { key: string };
  const port = await freePort();
  const before = new Set(process.listeners("SIGTERM"));
  const serving = runCli(["serve", "--config", config, "--port", String(port), "--json"]);
  const client = new OpenAI({ apiKey: key.key, baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 });
  let answer: string | null = null;
  for (let attempt = 0; attempt < 100 && answer === null; attempt++) {
    answer = await client.chat.completions.create({ model: "teacher", messages: [{ role: "user", content: "capital?" }] }).then(
      (completion) => completion.choices[0]!.message.content,
      () => new Promise<null>((resolve) => setTimeout(() => resolve(null), 50)),
    );
  }
  expect(answer).toBe(UPSTREAM_TEXT);
  const stop = process.listeners("SIGTERM").find((listener) => !before.has(listener))!;
  (stop as (signal: string) => void)("SIGTERM");
  const run = await serving;
  expect(run.exitCode).toBe(0);
  expect(JSON.parse(run.stdout)).toMatchObject({ port, models: ["teacher"], watermark_key_id: expect.stringMatching(/^[0-9a-f]{16}$/) });
  const verify = await runCli(["log", "verify", "--config", config, "--json"]);
  expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, rows: 1 });
});
