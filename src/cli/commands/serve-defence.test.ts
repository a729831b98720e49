// pedigree serve says what it cannot protect: a warning for each black-box model it cannot
// watermark, each model's protection in its summary; and it refuses to start with a defence
// directory that does not fit its model.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { tinyDefence } from "../../defend/test-support/tiny-defence.js";
import { runCli } from "../test-support/run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "pedigree-serve-defence-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts serve in-process; resolves with its stderr and summary once listening, and a stop function. */
async function serve(config: string) {
  const before = new Set(process.listeners("SIGTERM"));
  const done = runCli(["serve", "--config", config, "--port", "0", "--json"]);
  const capture = process.stdout.write;
  let text = "";
  const summary = await new Promise<Record<string, unknown>>((resolve) => {
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      text += String(chunk);
      if (text.trimEnd().endsWith("}")) resolve(JSON.parse(text) as Record<string, unknown>);
      return (capture as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stdout.write;
  });
  const stop = process.listeners("SIGTERM").find((listener) => !before.has(listener))!;
  (stop as (signal: string) => void)("SIGTERM");
  return { summary, run: await done };
}

it("warns for every model it cannot watermark and shows each model's protection", async () => {
  const config = join(dir, "gateway.json");
  writeFileSync(config, JSON.stringify({ data: join(dir, "data"), models: { atlas: "atlas", remote: "http://127.0.0.1:9/v1#big" }, watermark: { key_file: join(dir, "wm.key") } }));
  const { summary, run } = await serve(config);
  expect(run.exitCode).toBe(0);
  expect(run.stderr).toMatch(/^warning: model 'remote' is a black-box upstream: the gateway cannot watermark its answers/m);
  expect(run.stderr).not.toMatch(/model 'atlas'/);
  expect(summary.protection).toEqual({ atlas: { watermark: "kgw", defence: null }, remote: { watermark: null, defence: null } });
});

it("refuses to start with a defence prepared for another model", async () => {
  const fixture = await tinyDefence(dir);
  const config = join(dir, "mismatch.json");
  writeFileSync(config, JSON.stringify({ data: join(dir, "data2"), models: { atlas: "atlas" }, watermark: { key_file: join(dir, "wm.key") }, defences: { antidistill: { atlas: { directory: fixture.directory } } } }));
  const run = await runCli(["serve", "--config", config, "--port", "0", "--json"]);
  expect(run.exitCode).toBe(1);
  expect(run.stderr).toMatch(/^error \[DEFENCE_MISMATCH\]: defence .* does not fit model 'atlas'/m);
  expect(run.stdout).toBe("");
});
