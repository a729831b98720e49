// The radioactivity part of `npm run bench -- defend` (see bench/defend.js): does a student trained on
// answers watermarked by candidate selection carry the mark? atlas is served as a black-box upstream
// (text only); the harvest of `bench -- distill`'s prompts goes through whole-answer selection among n
// samples at temperature τ; an sft student with the distill budget is trained on it; its own sampled
// answers to unseen prompts are scored for the key (closed-model radioactivity, prompts' windows
// skipped). The control is the undefended sft student of the antidistillation part (greedy harvest).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { harvest, harvestRowSchema, readJsonl, trainStudent } from "pedigree/distill";
import { resolveModel } from "pedigree/models";
import { createRandom } from "pedigree/random";
import { createWatermark, generateKey, radioactivityClosedModel } from "pedigree/watermark";
import { createSelectionModel } from "../../dist/defend/index.js";
import { promptsOf, storyExamples } from "../../dist/cli/story/corpus-prompts.js";

const prompts = Number(process.env.DEFEND_PROMPTS ?? 2400);
const steps = Number(process.env.DEFEND_STEPS ?? 1200);
const n = Number(process.env.RADIOACTIVITY_N ?? 4);
const temperature = Number(process.env.RADIOACTIVITY_TEMPERATURE ?? 0.7);

async function radioactivityOf(reference, watermark, tokenizer) {
  const probes = promptsOf(storyExamples(200, 3), "probe");
  const suspect = await resolveModel(reference);
  const answers = [];
  try {
    for (const [index, prompt] of probes.entries()) {
      const result = await suspect.generate({ messages: prompt.messages, temperature: 1, seed: index, maxTokens: 48 });
      answers.push(tokenizer.encode(result.text));
    }
  } finally {
    await suspect.close?.();
  }
  const promptIds = probes.map((prompt) => tokenizer.encode(prompt.messages.map((message) => message.content).join("\n")));
  return radioactivityClosedModel(watermark, answers, { prompts: promptIds });
}

export async function runRadioactivity({ cache, memo }) {
  const keyRandom = createRandom("defend-radioactivity-key");
  const watermark = createWatermark(generateKey("kgw", {}, (count) => keyRandom.bytes(count)));
  const atlas = await resolveModel("atlas");
  const { tokenizer } = atlas;
  // Only text crosses: the upstream as an HTTP server would show it.
  const upstream = { id: "atlas-black-box", generate: (request) => atlas.generate({ ...request, temperature }), stream: (request) => atlas.stream({ ...request, temperature }) };
  const name = `selection-n${n}-t${temperature}-p${prompts}`;
  const file = join(cache, `harvest-${name}.jsonl`);
  let used = 0, asked = 0;
  const served = createSelectionModel({ upstream, watermark, tokenizer, n, chunkTokens: null, onSummary: (summary) => { used += summary.candidates; asked += n; } });
  await harvest({ model: served, teacher: `atlas+${name}`, prompts: promptsOf(storyExamples(prompts, 1), "bench"), out: file, concurrency: 1, temperature, maxTokens: 48, seed: 1 });
  if (asked > 0) console.log(`radioactivity_distinct_candidates: ${(used / asked).toFixed(3)} share of n`);
  const rows = (await readJsonl(file, harvestRowSchema)).rows;
  const harvestDetection = watermark.detectText(rows.map((row) => row.response), tokenizer, { prompts: rows.map((row) => row.messages.map((m) => m.content).join("\n")) });
  console.log(`radioactivity_harvest_log10p: ${harvestDetection.log10_p.toFixed(1)} log10 p (${harvestDetection.scored} tokens scored)`);
  const result = await memo(`radioactivity-${name}-s${steps}`, async () => {
    const out = join(cache, `student-${name}-sft-s${steps}.gguf`);
    if (!existsSync(out)) await trainStudent({ rows, loss: "sft", student: "mini", tokenizer: "atlas", steps, batchSize: 8, sequenceLength: 128, seed: 1, out, name: "sft-selection" });
    const student = await radioactivityOf(out, watermark, tokenizer);
    const controlFile = join(cache, `student-base-sft-p${prompts}-s${steps}.gguf`);
    const control = existsSync(controlFile) ? await radioactivityOf(controlFile, watermark, tokenizer) : null;
    return { student: { log10p: student.log10_p_conservative, scored: student.scored }, control: control && { log10p: control.log10_p_conservative, scored: control.scored } };
  });
  console.log(`radioactivity_log10p_sft_selection_n${n}: ${result.student.log10p.toFixed(1)} log10 p (${result.student.scored} tokens scored)`);
  if (result.control) console.log(`radioactivity_log10p_sft_control: ${result.control.log10p.toFixed(1)} log10 p (${result.control.scored} tokens scored)`);
  await atlas.close?.();
}
