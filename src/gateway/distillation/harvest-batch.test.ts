// `pedigree harvest --batch` against the gateway's Batch API: an interrupted run leaves the batch id
// on disk, the rerun polls that same batch (no second one), and the answers become the usual rows in
// prompt order.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { batchStatePath, harvestBatch, harvestRowSchema, readJsonl, withUniqueIds } from "../../distill/index.js";
import { echoModel } from "../test-support/fake-models.js";
import { startHarness, type Harness } from "../test-support/harness.js";

let harness: Harness;
let dir: string;
beforeAll(async () => {
  harness = await startHarness({ echo: echoModel({ delayMs: 5 }) });
  dir = mkdtempSync(join(tmpdir(), "pedigree-harvest-batch-"));
});
afterAll(async () => {
  await harness.stop();
  rmSync(dir, { recursive: true, force: true });
});

it("resumes by batch id after an interruption and writes the rows in prompt order", async () => {
  const { secret } = await harness.createKey("harvester");
  const prompts = withUniqueIds(Array.from({ length: 12 }, (_, i) => ({ messages: [{ role: "user" as const, content: `question ${i}` }] })));
  const out = join(dir, "data.jsonl");
  const teacher = `${harness.baseURL}#echo`;
  const common = { teacher, baseURL: harness.baseURL, model: "echo", apiKey: secret, prompts, out, temperature: 0, maxTokens: 16, seed: 7, pollMs: 20 };
  const controller = new AbortController();
  const stopped = await harvestBatch({ ...common, signal: controller.signal, onNote: (message) => message.startsWith("submitted batch") && controller.abort() }).catch((error: Error & { code?: string }) => error);
  expect((stopped as { code?: string }).code).toBe("HARVEST_INTERRUPTED");
  expect(existsSync(batchStatePath(out))).toBe(true);

  const notes: string[] = [];
  const summary = await harvestBatch({ ...common, onNote: (message) => notes.push(message) });
  expect(notes.some((message) => message.startsWith("resuming batch"))).toBe(true);
  expect(summary).toMatchObject({ status: "completed", rows: 12, failures: 0 });
  expect((await harness.client(secret).batches.list()).data).toHaveLength(1);
  expect(existsSync(batchStatePath(out))).toBe(false);
  const rows = (await readJsonl(out, harvestRowSchema)).rows;
  expect(rows.map((row) => row.prompt_id)).toEqual(prompts.map((prompt) => prompt.id));
  expect(rows.map((row) => row.response)).toEqual(prompts.map((_, i) => `echo: question ${i}`));
  expect(rows.map((row) => row.params.seed)).toEqual(prompts.map((_, i) => 7 + i));
  expect(rows[0]!.usage.total_tokens).toBeGreaterThan(0);

  // Nothing left to ask: no new batch.
  expect((await harvestBatch(common)).status).toBe("nothing_to_do");
  expect((await harness.client(secret).batches.list()).data).toHaveLength(1);
});
