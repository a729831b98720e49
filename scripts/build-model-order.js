// Training-order manifests of the built-in models (models/<name>.order.json): what regenerates the
// order in which each model saw its training windows (recipes, seeds, the plan), with the hash of
// that order. The data of each stage is tokenised here as the trainer did (build-model-train.js) and
// the order read from the engine's batch function, so a manifest needs no retraining. Checks: the
// regenerated data has the token and example counts the model card recorded, and with `verify` the
// final model's loss on each step's windows follows the loss curve recorded during training, stage
// by stage: the step-to-step changes of the two curves correlate (a wrong order gives none).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildMix, builtinRecipes, focusRecipes } from "pedigree/corpus";
import { LlamaModel, logSoftmaxRow, packExamples } from "pedigree/engine";
import { writeOutputFile } from "pedigree/files";
import { tokenizeExample, loadBase } from "./build-model-train.js";

const { buildManifest, describeStage, manifestText } = await import("../dist/cli/audit/order-manifest.js");
const { corpusSources, sha256Hex } = await import("../dist/cli/audit/order-data.js");

/** The stages a built-in model was trained in: its mix with the plan, then the focus mix if it has one. */
export function trainingStages(name, plan) {
  const stages = [{ recipe: builtinRecipes[name], plan }];
  if (plan.focus && focusRecipes[name]) stages.push({ recipe: focusRecipes[name], plan: { ...plan, ...plan.focus } });
  return stages;
}

/** Writes models/<name>.order.json for the model file in `out`; returns the manifest. */
export async function writeOrderManifest(out, name, plan, { log, verify = false }) {
  const path = join(out, `${name}.gguf`);
  const card = JSON.parse(readFileSync(join(out, `${name}.json`), "utf8"));
  const base = await loadBase(path);
  const described = trainingStages(name, plan).map(({ recipe, plan: stagePlan }, index) => {
    const data = packExamples(buildMix(recipe).train.map((example) => tokenizeExample(base.tokenizer, example.messages)));
    const stagePlanRecord = { steps: stagePlan.steps, batch_size: stagePlan.batchSize, grad_accumulation: 1, sequence_length: stagePlan.sequenceLength, seed: stagePlan.seed, layout: "stream" };
    const { stage, order } = describeStage(recipe.name, { kind: "builtin-mix", recipe: recipe.name, seed: String(recipe.seed) }, stagePlanRecord, data);
    const recorded = card.stages?.[index];
    if (recorded && (recorded.tokensPerEpoch !== stage.tokens || recorded.examples !== stage.examples || recorded.training.steps !== stage.plan.steps)) {
      throw new Error(`${name}: stage ${recipe.name} regenerates ${stage.examples} examples and ${stage.tokens} tokens over ${stage.plan.steps} steps; the card recorded ${recorded.examples}, ${recorded.tokensPerEpoch} and ${recorded.training.steps}`);
    }
    log(`${name}: stage ${recipe.name}: ${stage.windows} windows, ${stage.slots} slots, order ${stage.sha256.slice(0, 12)}…`);
    return { stage, order, data };
  });
  if (verify) described.forEach((stage, index) => verifyAgainstCurve(name, base, card, stage, index + 1, log));
  const manifest = buildManifest({ file: `${name}.gguf`, sha256: sha256Hex(readFileSync(path)) }, described.map((d) => d.stage), corpusSources());
  writeOutputFile(join(out, `${name}.order.json`), manifestText(manifest), { force: true });
  return manifest;
}

/** Pearson correlation between the step-to-step changes of the card's loss curve for one stage and
 *  of the final model's loss on the same steps' windows in the regenerated order. Differences remove
 *  the fall of the loss during training, which the final model does not share; what is left is how
 *  hard each step's windows were. */
function verifyAgainstCurve(name, base, card, { stage, order, data }, stageNumber, log) {
  const model = new LlamaModel(base.config, base.tensors);
  const V = base.config.vocabSize, T = stage.plan.sequence_length, B = stage.plan.batch_size;
  const row = new Float64Array(V);
  const stepLoss = [];
  for (let step = 0; step < stage.plan.steps; step++) {
    const inputs = new Int32Array(B * T);
    for (let b = 0; b < B; b++) inputs.set(data.tokens.subarray(order[step * B + b] * T, order[step * B + b] * T + T), b * T);
    const logits = model.forward(inputs, B, T);
    let total = 0, count = 0;
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        const target = order[step * B + b] * T + t + 1;
        if (!data.targetMask[target]) continue;
        logSoftmaxRow(row, logits, (b * T + t) * V, V);
        total -= row[data.tokens[target]];
        count++;
      }
    }
    stepLoss.push(count > 0 ? total / count : NaN);
  }
  const curve = card.loss_curve.filter((point) => (point.stage ?? 1) === stageNumber);
  let previous = 0;
  const recomputed = curve.map((point) => {
    const losses = stepLoss.slice(previous, point.step).filter(Number.isFinite);
    previous = point.step;
    return losses.reduce((a, b) => a + b, 0) / losses.length;
  });
  const changes = (values) => values.slice(1).map((value, i) => value - values[i]);
  const r = pearson(changes(recomputed), changes(curve.map((point) => point.loss)));
  log(`${name}: the final model's loss on each step's windows follows the recorded loss curve of stage ${stage.name}: Pearson r = ${r.toFixed(3)} over ${curve.length - 1} changes`);
  if (!(r > 0.5)) throw new Error(`${name}: the regenerated order does not follow the recorded loss curve (r = ${r.toFixed(3)}); the order is not the one the model saw`);
}

function pearson(x, y) {
  const n = x.length, mx = x.reduce((a, b) => a + b, 0) / n, my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}
