// Distillation figures (issue "distillation end to end"): one harvest of atlas through the gateway
// with top-k log-probabilities, then four students of a quarter of atlas's size trained with the same
// token budget — sft (teacher text), kl and jsd (token-level, from the harvested top-k), and raw (the
// raw corpus, no teacher) — each evaluated against atlas. The customer asks greedily, as in the story.
// Needs `npm run build` (imports the built package by its name).
// Prints harvest_rps, kept_capitals_<mode>, kept_definitions_f1_<mode>, agreement_<mode>, and with a
// watermark radioactivity_log10p_<mode>.
// DISTILL_PROMPTS, DISTILL_STEPS and DISTILL_EVAL scale it (defaults: 2400, 1200, 60); DISTILL_MODES picks modes.
// DISTILL_DELTA: by default the harvester holds a key licensed for distillation, served without a
// watermark (legitimate distillation); a number serves it with the story's KGW watermark at that δ.
// The served teacher (atlas through the gateway, watermark included) is evaluated too:
// teacher_served_capitals. On atlas (flat next-token distributions) δ = 3 changes about a third of its
// greedy tokens and its served capitals accuracy falls from 0.82 to about 0.5, which bounds every
// student of that harvest.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildEvalTask } from "pedigree/corpus";
import { evaluateTask, harvest, harvestRowSchema, readJsonl, trainStudent } from "pedigree/distill";
import { resolveModel } from "pedigree/models";
import { radioactivityClosedModel } from "pedigree/watermark";
// The benchmark replays the stages of `npm start` (the story) with other sizes; those stages are the
// command's own code, which the package does not export, so they are imported from the build.
import { startGatewayStage } from "../dist/cli/story/gateway-stage.js";
import { promptsOf, rawRows, storyExamples } from "../dist/cli/story/corpus-prompts.js";
import { evaluateModel } from "../dist/cli/story/evaluate-stage.js";
import { studentModes } from "../dist/cli/story/student-modes.js";

const prompts = Number(process.env.DISTILL_PROMPTS ?? 2400);
const steps = Number(process.env.DISTILL_STEPS ?? 1200);
const evalLimit = Number(process.env.DISTILL_EVAL ?? 60);
const plan = { evalLimit };
// DISTILL_MODES picks some of sft,kl,jsd,raw (default: all).
const only = (process.env.DISTILL_MODES ?? "sft,kl,jsd,raw").split(",");
const dir = mkdtempSync(join(tmpdir(), "pedigree-bench-distill-"));

/** Radioactivity, closed-model setting (Sander et al.): the suspect's sampled answers to the probes,
 * re-tokenised with the teacher's tokenizer, scored for the key with windows seen in the prompts skipped. */
async function radioactivityOf(reference, watermark, tokenizer, probes, maxTokens) {
  const suspect = await resolveModel(reference);
  const answers = [];
  try {
    for (const [index, prompt] of probes.entries()) {
      const result = await suspect.generate({ messages: prompt.messages, temperature: 1, seed: index, maxTokens });
      answers.push(tokenizer.encode(result.text));
    }
  } finally {
    await suspect.close?.();
  }
  const promptIds = probes.map((prompt) => tokenizer.encode(prompt.messages.map((message) => message.content).join("\n")));
  return radioactivityClosedModel(watermark, answers, { prompts: promptIds });
}

const delta = process.env.DISTILL_DELTA ?? "off";
const gateway = await startGatewayStage(dir, "atlas", { watermark: delta === "off" ? false : { delta: Number(delta) }, keySeed: 1 });
const reference = `${gateway.server.url}/v1#atlas`;
const client = await resolveModel(reference, { apiKey: gateway.harvesterKey, timeoutMs: 120_000 });
const summary = await harvest({
  model: client, teacher: reference, prompts: promptsOf(storyExamples(prompts, 1), "bench"), out: join(dir, "harvest.jsonl"),
  concurrency: 2, temperature: 0, maxTokens: 48, seed: 1, topLogprobs: 8,
});
const served = await evaluateTask(client, buildEvalTask("capitals"), { limit: evalLimit, seed: 0 });
await gateway.close();
console.log(`watermark_delta: ${delta === "off" ? 0 : gateway.watermark.params.delta} logit bias`);
console.log(`harvest_rps: ${summary.rows_per_second.toFixed(2)} rows/s`);
console.log(`harvest_tokens_per_s: ${summary.tokens_per_second.toFixed(0)} tokens/s`);

const rows = (await readJsonl(join(dir, "harvest.jsonl"), harvestRowSchema)).rows;
const modes = studentModes(rows, rawRows(storyExamples(prompts, 2)));
// Radioactivity as in the story: the student's own sampled answers to unseen prompts, scored for the key.
const probes = promptsOf(storyExamples(200, 3), "probe");
const atlasModel = await resolveModel("atlas");
const { tokenizer } = atlasModel;
await atlasModel.close?.();
const teacher = await evaluateModel("atlas", plan, null);
console.log(`teacher_capitals: ${teacher.tasks.capitals.toFixed(3)} accuracy`);
console.log(`teacher_served_capitals: ${served.accuracy.toFixed(3)} accuracy`);
console.log(`teacher_definitions_f1: ${teacher.tasks.definitions_f1.toFixed(3)} F1`);
for (const [mode, setting] of Object.entries(modes).filter(([mode]) => only.includes(mode))) {
  const student = await trainStudent({
    ...setting, student: "mini", tokenizer: "atlas", steps, batchSize: 8, sequenceLength: 128, seed: 1, out: join(dir, `${mode}.gguf`), name: mode,
  });
  const figures = await evaluateModel(student.out, plan, teacher);
  console.log(`student_params_${mode}: ${student.params} params`);
  console.log(`size_ratio_${mode}: ${(student.params / teacher.params).toFixed(3)} ratio`);
  console.log(`train_seconds_${mode}: ${student.seconds.toFixed(1)} s`);
  console.log(`capitals_${mode}: ${figures.tasks.capitals.toFixed(3)} accuracy`);
  console.log(`kept_capitals_${mode}: ${figures.kept_capitals.toFixed(3)} ratio`);
  console.log(`kept_definitions_f1_${mode}: ${(figures.tasks.definitions_f1 / Math.max(teacher.tasks.definitions_f1, 1e-9)).toFixed(3)} ratio`);
  console.log(`agreement_${mode}: ${figures.agreement.exact.toFixed(3)} share`);
  console.log(`agreement_f1_${mode}: ${figures.agreement.f1.toFixed(3)} F1`);
  if (delta !== "off") {
    const radio = await radioactivityOf(student.out, gateway.watermark, tokenizer, probes, 48);
    console.log(`radioactivity_log10p_${mode}: ${radio.log10_p_conservative.toFixed(1)} log10 p (${radio.scored} tokens scored)`);
  }
}
