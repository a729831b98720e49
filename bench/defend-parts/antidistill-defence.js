// The defence the antidistillation parts serve atlas with: a proxy of size `proxy` trained on 360
// greedy held-out atlas answers, g over 120 others. Cached; the `mini` one keeps its original names.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { harvest, harvestRowSchema, readJsonl, trainStudent } from "pedigree/distill";
import { loadDefence, prepareDefence } from "../../dist/defend/index.js";
import { promptsOf, storyExamples } from "../../dist/cli/story/corpus-prompts.js";

export async function preparedDefence({ cache, atlas, proxy = "mini" }) {
  // Held-out teacher answers (not the students' prompts): proxy training and the gradient.
  const heldOutFile = join(cache, "held-out.jsonl");
  await harvest({ model: atlas, teacher: "atlas", prompts: promptsOf(storyExamples(480, 17), "held"), out: heldOutFile, concurrency: 1, temperature: 0, maxTokens: 48, seed: 5 });
  const heldOut = (await readJsonl(heldOutFile, harvestRowSchema)).rows;
  const suffix = proxy === "mini" ? "" : `-${proxy}`;
  const defenceDir = join(cache, `defence${suffix}`);
  if (!existsSync(join(defenceDir, "defence.json"))) {
    const proxyFile = join(cache, `proxy${suffix}.gguf`);
    if (!existsSync(proxyFile)) {
      await trainStudent({ rows: heldOut.slice(0, 360), student: proxy, tokenizer: "atlas", loss: "sft", steps: 600, batchSize: 8, sequenceLength: 128, seed: 7, out: proxyFile, name: "proxy", type: "F32", heldOutShare: 0 });
    }
    await prepareDefence({ teacher: { id: "atlas", tokenizer: atlas.tokenizer }, proxyFile, proxySource: `trained:${proxy}`, answers: heldOut.slice(360), out: defenceDir });
  }
  return loadDefence(defenceDir);
}
