// The training loop: packed batches → forward → loss (cross-entropy or distillation, masked) →
// backward → gradient accumulation → clipping → AdamW with warmup + cosine. Seeded and
// deterministic on one machine; checkpoints carry the optimizer state for an exact resume.
import { existsSync } from "node:fs";
import { EngineError } from "../errors.js";
import { crossEntropy } from "../losses/cross-entropy.js";
import { distillationLoss, type DistillationOptions } from "../losses/distillation.js";
import type { TeacherTargets } from "../losses/teacher-targets.js";
import { checkConfig, type LlamaConfig } from "../model/config.js";
import { LlamaModel } from "../model/llama-model.js";
import { createTensors, initializeParameters, type ModelTensors } from "../model/parameters.js";
import { createRandom } from "../../random/index.js";
import { adamwUpdate, clipGradients, createAdamWState, decayMask } from "./adamw.js";
import { readCheckpoint, writeCheckpoint } from "./checkpoint.js";
import { learningRateAt } from "./schedule.js";
import { makeBatch, type Batch, type PackedData } from "./training-data.js";
import { checkOnPolicy, onPolicyBatch, type OnPolicyOptions } from "./on-policy.js";

export type LossSpec = { kind: "ce" } | (DistillationOptions & { /** α in (1−α)·divergence + α·cross-entropy (default 0) */ ceWeight?: number });

export interface TrainOptions {
  config: LlamaConfig;
  data: PackedData;
  steps: number;                // optimizer updates
  batchSize?: number;           // B sequences per micro-batch (default 8)
  sequenceLength?: number;      // T (default config.contextLength)
  gradAccumulation?: number;    // micro-batches per update (default 1)
  lr?: number;                  // peak learning rate (default 3e-3)
  minLr?: number;               // final learning rate (default lr / 10)
  warmupSteps?: number;         // default min(100, steps / 10)
  weightDecay?: number;         // default 0.1
  beta1?: number;               // default 0.9
  beta2?: number;               // default 0.95
  gradClip?: number;            // global norm, default 1; 0 disables
  seed?: number;                // initialisation and batch order (default 0)
  loss?: LossSpec;              // default cross-entropy
  init?: Float32Array;          // start from these parameters instead of a random init
  teacher?: LlamaModel;         // full-logit distillation when the data carries no sparse targets
  onPolicy?: OnPolicyOptions;   // GKD: a share λ of micro-batches are the student's own samples (needs teacher)
  checkpointPath?: string;
  checkpointEvery?: number;     // updates between checkpoints (default: only at the end)
  resume?: boolean;             // continue from checkpointPath when it exists
  onStep?: (report: StepReport) => void;
  /** Called with the current parameters every `every` updates and after the last (e.g. held-out loss). */
  evaluate?: { every: number; run: (step: number, params: ModelTensors) => void | Promise<void> };
  signal?: AbortSignal;
}

export interface StepReport {
  step: number;        // updates done
  steps: number;
  loss: number;        // mean over counted tokens of this update
  lr: number;
  gradNorm: number;
  tokensPerSecond: number;
  elapsedSeconds: number;
}

export interface TrainResult {
  config: LlamaConfig;
  params: ModelTensors;
  steps: number;
  losses: number[];    // per update of this run
  tokensSeen: number;
  seconds: number;
  tokensPerSecond: number;
}

function settingsOf(o: Required<Omit<TrainOptions, "init" | "teacher" | "onPolicy" | "evaluate" | "checkpointPath" | "checkpointEvery" | "resume" | "onStep" | "signal" | "data" | "config">>): Record<string, unknown> {
  return { ...o };
}

export async function trainModel(options: TrainOptions): Promise<TrainResult> {
  const config = options.config;
  checkConfig(config);
  const lr = options.lr ?? 3e-3;
  const s = {
    steps: options.steps, batchSize: options.batchSize ?? 8, sequenceLength: options.sequenceLength ?? config.contextLength,
    gradAccumulation: options.gradAccumulation ?? 1, lr, minLr: options.minLr ?? lr / 10,
    warmupSteps: options.warmupSteps ?? Math.min(100, Math.floor(options.steps / 10)), weightDecay: options.weightDecay ?? 0.1,
    beta1: options.beta1 ?? 0.9, beta2: options.beta2 ?? 0.95, gradClip: options.gradClip ?? 1, seed: options.seed ?? 0,
    loss: options.loss ?? { kind: "ce" as const },
  };
  const B = s.batchSize, T = s.sequenceLength, accum = s.gradAccumulation;
  if (options.onPolicy) {
    checkOnPolicy(options.onPolicy);
    if (s.loss.kind === "ce" || !options.teacher) throw new EngineError("ENGINE_INVALID_ARGUMENT", "on-policy distillation needs a distillation loss and a white-box teacher");
  }
  if (T > config.contextLength) throw new EngineError("ENGINE_INVALID_ARGUMENT", `sequence length ${T} exceeds the context length ${config.contextLength}`);
  const params = options.init ? createTensors(config, Float32Array.from(options.init)) : initializeParameters(config, createRandom(s.seed));
  const model = new LlamaModel(config, params);
  const adam = createAdamWState(params.data.length);
  const mask = decayMask(config);
  let step = 0, tokensSeen = 0;
  const settings = { ...settingsOf(s), ...(options.onPolicy ? { onPolicy: { ...options.onPolicy, prompts: options.onPolicy.prompts.length } } : {}) };
  if (options.resume && options.checkpointPath && existsSync(options.checkpointPath)) {
    const ckpt = await readCheckpoint(options.checkpointPath);
    if (JSON.stringify(ckpt.header.config) !== JSON.stringify(config) || JSON.stringify(ckpt.header.settings) !== JSON.stringify(settings)) {
      throw new EngineError("CHECKPOINT_INVALID", `checkpoint ${options.checkpointPath} was written with other settings or model config; resume with the same options or start afresh`);
    }
    params.data.set(ckpt.params);
    adam.m.set(ckpt.m);
    adam.v.set(ckpt.v);
    adam.t = ckpt.header.step;
    step = ckpt.header.step;
    tokensSeen = ckpt.header.tokensSeen;
  }
  const save = () => options.checkpointPath
    ? writeCheckpoint(options.checkpointPath, { header: { config, step, settings, tokensSeen }, params: params.data, m: adam.m, v: adam.v })
    : Promise.resolve();
  const V = config.vocabSize, N = B * T;
  const dlogits = new Float32Array(N * V);
  const losses: number[] = [];
  const started = performance.now();
  let runTokens = 0;
  for (; step < s.steps; ) {
    if (options.signal?.aborted) break;
    model.zeroGrad();
    let lossSum = 0, countSum = 0;
    for (let micro = 0; micro < accum; micro++) {
      const batch = nextBatch(options, params, s.seed, B, T, step * accum + micro);
      const logits = model.forward(batch.inputs, B, T);
      dlogits.fill(0);
      const { loss, count } = lossAndGradient(dlogits, logits, batch, s.loss, options.teacher, V, accum);
      lossSum += loss;
      countSum += count;
      if (count > 0) model.backward(dlogits);
    }
    const gradNorm = clipGradients(model.grads.data, s.gradClip);
    const rate = learningRateAt(step, { lr: s.lr, minLr: s.minLr, warmupSteps: s.warmupSteps, totalSteps: s.steps });
    adamwUpdate(params.data, model.grads.data, adam, mask, rate, { beta1: s.beta1, beta2: s.beta2, eps: 1e-8, weightDecay: s.weightDecay });
    step++;
    tokensSeen += N * accum;
    runTokens += N * accum;
    const loss = countSum > 0 ? lossSum / countSum : NaN;
    losses.push(loss);
    const elapsed = (performance.now() - started) / 1000;
    options.onStep?.({ step, steps: s.steps, loss, lr: rate, gradNorm, tokensPerSecond: runTokens / elapsed, elapsedSeconds: elapsed });
    if (options.checkpointEvery && step % options.checkpointEvery === 0 && step < s.steps) await save();
    if (options.evaluate && (step % options.evaluate.every === 0 || step === s.steps)) await options.evaluate.run(step, params);
    await new Promise((resolve) => setImmediate(resolve));
  }
  await save();
  const seconds = (performance.now() - started) / 1000;
  return { config, params, steps: step, losses, tokensSeen, seconds, tokensPerSecond: runTokens / Math.max(seconds, 1e-9) };
}

/** The data's micro-batch `index`, or (with probability λ, a pure function of seed and index) an on-policy one. */
function nextBatch(options: TrainOptions, params: ModelTensors, seed: number, B: number, T: number, index: number): Batch {
  const onPolicy = options.onPolicy;
  if (onPolicy && onPolicy.lambda > 0) {
    const random = createRandom(BigInt(seed >>> 0) * 7919n + BigInt(index) * 2n + 1n);
    if (random.uniform32() < onPolicy.lambda) return onPolicyBatch(options.config, params, onPolicy, B, T, random);
  }
  return makeBatch(options.data, B, T, seed, index);
}

/** Fills dlogits for one micro-batch; returns the summed loss and counted positions. */
function lossAndGradient(dlogits: Float32Array, logits: Float32Array, batch: Batch, loss: LossSpec, teacher: LlamaModel | undefined,
  V: number, accum: number): { loss: number; count: number } {
  const N = batch.B * batch.T;
  let count = 0;
  for (let n = 0; n < N; n++) if (batch.targets[n] >= 0) count++;
  if (count === 0) return { loss: 0, count: 0 };
  const scale = 1 / (count * accum);
  if (loss.kind === "ce") return crossEntropy(dlogits, logits, batch.targets, N, V, scale);
  let targets: TeacherTargets;
  if (batch.teacherIds && batch.teacherLogprobs) {
    targets = { kind: "sparse", k: batch.teacherIds.length / N, ids: batch.teacherIds, logprobs: batch.teacherLogprobs };
  } else if (teacher) {
    targets = { kind: "full", logits: teacher.forward(batch.inputs, batch.B, batch.T).slice() };
  } else {
    throw new EngineError("ENGINE_INVALID_ARGUMENT", `the ${loss.kind} loss needs teacher log-probabilities in the data or a teacher model`);
  }
  const mask = Uint8Array.from(batch.targets, (t) => (t >= 0 ? 1 : 0));
  const ceWeight = loss.ceWeight ?? 0;
  const kd = distillationLoss(dlogits, logits, targets, mask, N, V, loss, scale * (1 - ceWeight));
  let total = kd.loss * (1 - ceWeight);
  if (ceWeight > 0) total += ceWeight * crossEntropy(dlogits, logits, batch.targets, N, V, scale * ceWeight).loss;
  return { loss: total, count };
}
