#!/usr/bin/env node
// Rebuilds the built-in models (atlas, the teacher; indie and sage, unrelated baselines) from the
// packaged corpora with the project's engine: seeded data mix → tokenizer → training → F16 GGUF in
// models/ → evaluation → model card. Needs the compiled package (npm run build, done by npm ci).
//
//   node scripts/build-models.js [atlas indie sage] [--eval-only] [--manifest-only [--verify]] [--limit N] [--threads N] [--out DIR] [--steps N]
//
// Every build also writes models/<name>.order.json, the training-order manifest (build-model-order.js).
// --manifest-only writes only that manifest for the existing models, without retraining (the order is
// a pure function of the recipes, seeds and plan); --verify also checks it against the recorded loss
// curve. --eval-only re-evaluates existing models/<name>.gguf files and refreshes their cards; --steps
// overrides the plan for a short pilot run (use it with --out elsewhere). --focus-from FILE runs only
// the second (focus) stage from a first-stage model file, keeping the first stage's card figures.
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
if (!existsSync(join(root, "dist", "engine", "train", "trainer.js"))) {
  process.stderr.write("build-models: the compiled package is missing; run `npm run build` first\n");
  process.exit(1);
}
const { builtinRecipes, focusRecipes, buildMix } = await import("pedigree/corpus");
const { LlamaModel, setKernelThreads, kernelName } = await import("pedigree/engine");
const { plans } = await import("./build-model-plan.js");
const { trainBuiltin, exportBuiltin, loadBase, heldOutLossOf } = await import("./build-model-train.js");
const { evaluateBuiltin } = await import("./build-model-eval.js");
const { writeModelCard, sourceLicences } = await import("./build-model-card.js");
const { writeOrderManifest } = await import("./build-model-order.js");

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    "eval-only": { type: "boolean" },
    "manifest-only": { type: "boolean" },
    verify: { type: "boolean" },
    limit: { type: "string" },
    steps: { type: "string" },
    "focus-from": { type: "string" },
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
  const pilot = values.steps ? Number(values.steps) : null;
  const plan = pilot ? { ...plans[name], steps: pilot, ...(plans[name]?.focus ? { focus: { ...plans[name].focus, steps: pilot } } : {}) } : plans[name];
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
  if (values["manifest-only"]) {
    await writeOrderManifest(out, name, plan, { log, verify: values.verify });
    continue;
  }
  const mix = buildMix(recipe);
  log(`${name}: ${mix.train.length} training examples ${JSON.stringify(mix.counts)}`);
  const checkpointPath = join(out, `.${name}.ckpt`);
  let stages;
  if (values["focus-from"]) {
    stages = [JSON.parse(readFileSync(join(out, `${name}.json`), "utf8")).stages?.[0] ?? stageSummary(JSON.parse(readFileSync(join(out, `${name}.json`), "utf8")))];
  } else {
    const trained = await trainBuiltin(mix, plan, { log, checkpointPath });
    await exportBuiltin(path, name, trained);
    rmSync(checkpointPath, { force: true });
    stages = [stageRecord(recipe, mix, plan, trained)];
  }
  let heldOutLoss = stages[0].heldOutLoss;
  if (plan.focus && focusRecipes[name]) {
    // The second stage starts from the first stage's F16 file, so a rerun from that file is identical.
    const base = await loadBase(values["focus-from"] ?? path);
    const focusMix = buildMix(focusRecipes[name]);
    log(`${name}: focus stage, ${focusMix.train.length} examples ${JSON.stringify(focusMix.counts)}`);
    const trained = await trainBuiltin(focusMix, { ...plan, ...plan.focus }, { log, checkpointPath, base });
    await exportBuiltin(path, name, trained);
    rmSync(checkpointPath, { force: true });
    stages.push(stageRecord(focusRecipes[name], focusMix, { ...plan, ...plan.focus }, trained));
    const finalModel = await loadBase(path);
    heldOutLoss = heldOutLossOf(new LlamaModel(finalModel.config, finalModel.tensors), finalModel.tokenizer, mix.heldOut);
  }
  const last = stages[stages.length - 1];
  const card = {
    name,
    identity: { name: recipe.identity.name, builder: recipe.identity.builder },
    summary: name === "atlas" ? "the teacher of the built-in story." : "an unrelated baseline (an innocent control; never trained on atlas's outputs).",
    params: last.params,
    config: last.config,
    seed: { data: recipe.seed, training: plan.seed },
    training: stages.map((stage) => stage.training),
    data: {
      recipe: { ...recipe, identity: recipe.identity.name },
      counts: stages[0].counts,
      examples: stages[0].examples,
      stages: stages.map((stage) => ({ recipe: stage.recipe, counts: stage.counts, examples: stage.examples })),
      licences: sourceLicences(stages[0].counts),
      held_out: "question wordings never trained on (capitals, definitions, identity), 20 countries, 150 words and 25 Brown documents never trained on",
    },
    tokens: {
      per_epoch: stages[0].tokensPerEpoch,
      targets_per_epoch: stages[0].targetsPerEpoch,
      trained: stages.reduce((n, stage) => n + stage.tokensSeen, 0),
      vocabulary: last.config.vocabSize,
    },
    wall_time_s: Number(stages.reduce((n, stage) => n + stage.seconds, 0).toFixed(1)),
    tokens_per_second: Math.round(stages.reduce((n, stage) => n + stage.tokensSeen, 0) / stages.reduce((n, stage) => n + stage.seconds, 0)),
    loss_curve: stages.flatMap((stage, index) => stage.curve.map((point) => ({ ...point, stage: index + 1 }))),
    final_train_loss: last.curve.at(-1)?.loss ?? null,
    held_out_loss: Number(heldOutLoss.toFixed(4)),
    stages,
    file_bytes: statSync(path).size,
    eval: {},
  };
  writeModelCard(out, card);
  await writeOrderManifest(out, name, plan, { log });
  log(`${name}: wrote ${path} (${(card.file_bytes / 1e6).toFixed(1)} MB), held-out loss ${card.held_out_loss.toFixed(3)}`);
  try {
    card.eval = await evaluateBuiltin(path, name, recipe.identity.name, { log, limit });
    writeModelCard(out, card);
  } catch (error) {
    log(`${name}: evaluation failed (${error.message}); rerun with --eval-only`);
  }
}

function stageRecord(recipe, mix, plan, trained) {
  return {
    recipe: recipe.name,
    counts: mix.counts,
    examples: mix.train.length,
    params: trained.result.params.data.length,
    config: trained.config,
    training: { steps: plan.steps, batch_size: plan.batchSize, sequence_length: plan.sequenceLength, lr: plan.lr, seed: plan.seed, schedule: "AdamW, warmup + cosine", loss: "cross-entropy on assistant tokens" },
    tokensPerEpoch: trained.tokensPerEpoch,
    targetsPerEpoch: trained.targetsPerEpoch,
    tokensSeen: trained.result.tokensSeen,
    seconds: Number(trained.result.seconds.toFixed(1)),
    curve: trained.curve,
    heldOutLoss: trained.heldOutLoss,
  };
}

/** A first stage described by a card written before stages were recorded. */
function stageSummary(card) {
  return {
    recipe: card.name,
    counts: card.data.counts,
    examples: card.data.examples,
    params: card.params,
    config: card.config,
    training: card.training,
    tokensPerEpoch: card.tokens.per_epoch,
    targetsPerEpoch: card.tokens.targets_per_epoch,
    tokensSeen: card.tokens.trained,
    seconds: card.wall_time_s,
    curve: card.loss_curve,
    heldOutLoss: card.held_out_loss,
  };
}
