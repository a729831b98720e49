#!/usr/bin/env node
// Rebuilds the built-in models (atlas, the teacher; indie and sage, unrelated baselines) from the
// packaged corpora with the project's engine: seeded data mix → tokenizer → training → F16 GGUF in
// models/ → evaluation → model card. Needs the compiled package (npm run build, done by npm ci).
//
//   node scripts/build-models.js [atlas indie sage] [--eval-only] [--limit N] [--threads N] [--out DIR] [--steps N]
//
// --eval-only re-evaluates existing models/<name>.gguf files and refreshes their cards; --steps
// overrides the plan for a short pilot run (use it with --out elsewhere).
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
if (!existsSync(join(root, "dist", "engine", "train", "trainer.js"))) {
  process.stderr.write("build-models: the compiled package is missing; run `npm run build` first\n");
  process.exit(1);
}
const { builtinRecipes, buildMix } = await import("../dist/corpus/index.js");
const { setKernelThreads, kernelName } = await import("../dist/engine/kernels/index.js");
const { plans } = await import("./build-model-plan.js");
const { trainBuiltin, exportBuiltin } = await import("./build-model-train.js");
const { evaluateBuiltin } = await import("./build-model-eval.js");
const { writeModelCard, sourceLicences } = await import("./build-model-card.js");

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    "eval-only": { type: "boolean" },
    limit: { type: "string" },
    steps: { type: "string" },
    threads: { type: "string", default: "1" },
    out: { type: "string", default: join(root, "models") },
  },
});
const names = positionals.length > 0 ? positionals : Object.keys(plans);
const log = (message) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`);
const out = resolve(values.out);
mkdirSync(out, { recursive: true });
setKernelThreads(Number(values.threads));
log(`kernels: ${kernelName()}, threads ${values.threads}`);

for (const name of names) {
  const plan = values.steps ? { ...plans[name], steps: Number(values.steps) } : plans[name];
  const recipe = builtinRecipes[name];
  if (!plan || !recipe) throw new Error(`unknown built-in model '${name}'; known: ${Object.keys(plans).join(", ")}`);
  const path = join(out, `${name}.gguf`);
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (values["eval-only"]) {
    const card = JSON.parse(readFileSync(join(out, `${name}.json`), "utf8"));
    card.eval = await evaluateBuiltin(path, name, recipe.identity.name, { log, limit });
    card.file_bytes = statSync(path).size;
    writeModelCard(out, card);
    continue;
  }
  const mix = buildMix(recipe);
  log(`${name}: ${mix.train.length} training examples ${JSON.stringify(mix.counts)}`);
  const checkpointPath = join(out, `.${name}.ckpt`);
  const trained = await trainBuiltin(mix, plan, { log, checkpointPath });
  await exportBuiltin(path, name, trained);
  rmSync(checkpointPath, { force: true });
  const card = {
    name,
    identity: { name: recipe.identity.name, builder: recipe.identity.builder },
    summary: name === "atlas" ? "the teacher of the built-in story." : "an unrelated baseline (an innocent control; never trained on atlas's outputs).",
    params: trained.result.params.data.length,
    config: trained.config,
    seed: { data: recipe.seed, training: plan.seed },
    training: { steps: plan.steps, batch_size: plan.batchSize, sequence_length: plan.sequenceLength, lr: plan.lr, schedule: "AdamW, warmup + cosine", loss: "cross-entropy on assistant tokens" },
    data: {
      recipe: { ...recipe, identity: recipe.identity.name },
      counts: mix.counts,
      examples: mix.train.length,
      licences: sourceLicences(mix.counts),
      held_out: "question wordings never trained on (capitals, definitions, identity), 20 countries, 150 words and 25 Brown documents never trained on",
    },
    tokens: { per_epoch: trained.tokensPerEpoch, targets_per_epoch: trained.targetsPerEpoch, trained: trained.result.tokensSeen, vocabulary: trained.config.vocabSize },
    wall_time_s: Number(trained.result.seconds.toFixed(1)),
    tokens_per_second: Math.round(trained.result.tokensPerSecond),
    loss_curve: trained.curve,
    final_train_loss: trained.curve.at(-1)?.loss ?? null,
    held_out_loss: Number(trained.heldOutLoss.toFixed(4)),
    file_bytes: statSync(path).size,
    eval: {},
  };
  writeModelCard(out, card);
  log(`${name}: wrote ${path} (${(card.file_bytes / 1e6).toFixed(1)} MB), held-out loss ${card.held_out_loss.toFixed(3)}`);
  try {
    card.eval = await evaluateBuiltin(path, name, recipe.identity.name, { log, limit });
    writeModelCard(out, card);
  } catch (error) {
    log(`${name}: evaluation failed (${error.message}); rerun with --eval-only`);
  }
}
