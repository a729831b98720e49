// One built-in model from its recipe: tokenizer, chat examples with assistant-only loss masks,
// seeded training with the engine, held-out loss, F16 GGUF export.
import { exportGguf, gguf, LlamaModel, logSoftmaxRow, modelFromGguf, packExamples, parameterCount, tokenizer as tokenizers, trainModel } from "pedigree/engine";

const { readGgufFile } = gguf;
const { trainBpe, tokenizerFromGguf, tokenizerMetadata } = tokenizers;

/** Token ids of a conversation and a mask that is 1 on assistant content and its <|im_end|>. */
export function tokenizeExample(tokenizer, messages) {
  const tokens = tokenizer.encodeChat(messages);
  const mask = new Uint8Array(tokens.length);
  for (let i = 0; i < messages.length; i++) {
    if (messages[i].role !== "assistant") continue;
    const start = tokenizer.encodeChat(messages.slice(0, i), { addGenerationPrompt: true }).length;
    const end = tokenizer.encodeChat(messages.slice(0, i + 1)).length - 1; // leave out the "\n" after <|im_end|>
    mask.fill(1, start, end);
  }
  return { tokens, lossMask: mask };
}

export function trainTokenizer(mix, vocabSize) {
  const texts = mix.train.flatMap((example) => example.messages.map((message) => message.content));
  return trainBpe(texts, { vocabSize });
}

/** A model file's tokenizer, config and parameters: the starting point of a second training stage. */
export async function loadBase(path) {
  const file = await readGgufFile(path);
  const { config, params } = modelFromGguf(file);
  return { tokenizer: tokenizerFromGguf(file.metadata), config, tensors: params, params: params.data };
}

/** Trains from scratch, or from `base` (a loaded model file) with the base's tokenizer and config. */
export async function trainBuiltin(mix, plan, { log, checkpointPath, base }) {
  const started = performance.now();
  const tokenizer = base ? base.tokenizer : trainTokenizer(mix, plan.vocabSize);
  const examples = mix.train.map((example) => tokenizeExample(tokenizer, example.messages));
  const data = packExamples(examples);
  const config = base ? base.config : { ...plan.size, vocabSize: tokenizer.vocabSize };
  const targets = examples.reduce((n, e) => n + e.lossMask.reduce((a, b) => a + b, 0), 0);
  log(`${mix.recipe.name}: ${parameterCount(config).toLocaleString()} parameters, ${data.tokens.length.toLocaleString()} tokens per epoch (${targets.toLocaleString()} targets), tokenizer ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const curve = [];
  const every = Math.max(1, Math.floor(plan.steps / 100));
  let window = [];
  const result = await trainModel({
    config, data, steps: plan.steps, batchSize: plan.batchSize, sequenceLength: plan.sequenceLength, lr: plan.lr, seed: plan.seed,
    checkpointPath, checkpointEvery: 200, resume: true, init: base?.params,
    onStep: (report) => {
      window.push(report.loss);
      if (report.step % every === 0 || report.step === report.steps) {
        const loss = window.reduce((a, b) => a + b, 0) / window.length;
        window = [];
        curve.push({ step: report.step, tokens: report.step * plan.batchSize * plan.sequenceLength, loss: Number(loss.toFixed(4)) });
        log(`${mix.recipe.name}: step ${report.step}/${report.steps} loss ${loss.toFixed(3)} lr ${report.lr.toExponential(2)} ${Math.round(report.tokensPerSecond)} tok/s ${report.elapsedSeconds.toFixed(0)} s`);
      }
    },
  });
  const heldOutLoss = heldOutLossOf(new LlamaModel(config, result.params), tokenizer, mix.heldOut);
  return { tokenizer, config, result, curve, heldOutLoss, tokensPerEpoch: data.tokens.length, targetsPerEpoch: targets };
}

/** Mean cross-entropy (nats per assistant token) over held-out conversations. */
export function heldOutLossOf(model, tokenizer, heldOut) {
  const V = model.config.vocabSize;
  const row = new Float64Array(V);
  let total = 0, count = 0;
  for (const example of heldOut) {
    const { tokens, lossMask } = tokenizeExample(tokenizer, example.messages);
    const T = Math.min(tokens.length, model.config.contextLength);
    const logits = model.forward(Int32Array.from(tokens.slice(0, T)), 1, T);
    for (let t = 1; t < T; t++) {
      if (!lossMask[t]) continue;
      logSoftmaxRow(row, logits, (t - 1) * V, V);
      total -= row[tokens[t]];
      count++;
    }
  }
  return total / Math.max(count, 1);
}

export async function exportBuiltin(path, name, trained) {
  await exportGguf(path, trained.config, trained.result.params, { name, type: "F16", tokenizerMetadata: tokenizerMetadata(trained.tokenizer) });
}
