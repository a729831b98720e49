// Harvest from a white-box (engine) teacher: sparse top-k with token ids, and the sampled token ids.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { tinyGguf } from "../../engine/test-support/tiny-gguf.js";
import { resolveModel } from "../../models/resolve.js";
import { readJsonl } from "../data/jsonl-read.js";
import { harvestRowSchema } from "../data/row.js";
import { harvest } from "./harvest.js";
import { parsePromptText } from "./prompts.js";

it("records a sparse top-k with ids and the token ids from a white-box teacher", async () => {
  const directory = mkdtempSync(join(tmpdir(), "pedigree-harvest-white-"));
  const path = join(directory, "tiny.gguf");
  writeFileSync(path, tinyGguf({ seed: 5 }).bytes);
  const model = await resolveModel(path);
  const out = join(directory, "data.jsonl");
  await harvest({ model, teacher: path, prompts: parsePromptText("Paris is\nThe fox\n", "p.txt"), out, topLogprobs: 32, maxTokens: 5, seed: 1 });
  const { rows } = await readJsonl(out, harvestRowSchema);
  expect(rows).toHaveLength(2);
  for (const row of rows) {
    expect(row.params.top_logprobs).toBe(32);
    expect(row.token_ids!.length).toBe(row.logprobs!.length);
    row.logprobs!.forEach((position, i) => {
      expect(position.top).toHaveLength(32);
      expect(position.top.every((alt) => Number.isInteger(alt.id))).toBe(true);
      expect(position.top.map((alt) => alt.logprob)).toEqual(position.top.map((alt) => alt.logprob).sort((a, b) => b - a));
      expect(position.id).toBe(row.token_ids![i]);
      // The sampled token's own log-probability agrees with its entry in the top-k when it is there.
      const entry = position.top.find((alt) => alt.id === position.id);
      if (entry) expect(entry.logprob).toBeCloseTo(position.logprob, 9);
    });
  }
  await model.close?.();
});
