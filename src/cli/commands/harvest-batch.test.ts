// pedigree harvest --batch from the command line, against the gateway's Batch API.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { echoModel } from "../../gateway/test-support/fake-models.js";
import { startHarness, type Harness } from "../../gateway/test-support/harness.js";
import { runCli } from "../test-support/run-cli.js";

let harness: Harness;
let dir: string;
beforeAll(async () => {
  harness = await startHarness({ echo: echoModel() });
  dir = mkdtempSync(join(tmpdir(), "pedigree-cli-batch-"));
});
afterAll(async () => {
  await harness.stop();
  rmSync(dir, { recursive: true, force: true });
});

it("harvests through a batch and prints the summary", async () => {
  const { secret } = await harness.createKey("cli");
  const prompts = join(dir, "prompts.txt");
  writeFileSync(prompts, "first question\nsecond question\nthird question\n");
  const run = await runCli(["harvest", "--batch", "--teacher", `${harness.baseURL}#echo`, "--api-key", secret, "--prompts", prompts, "--out", join(dir, "rows.jsonl"), "--poll", "20ms", "--json"]);
  expect(run.exitCode).toBe(0);
  expect(JSON.parse(run.stdout)).toMatchObject({ status: "completed", rows: 3, failures: 0, batch_id: expect.stringMatching(/^batch_/) });
});

it("refuses --batch for a teacher without a Batch API", async () => {
  const run = await runCli(["harvest", "--batch", "--teacher", "atlas", "--prompts", "builtin:capitals", "--out", join(dir, "no.jsonl")]);
  expect(run.exitCode).not.toBe(0);
  expect(run.stderr).toContain("--batch sends the harvest to a server's Batch API");
});
