// On-policy batches for generalized knowledge distillation (Agarwal et al., "On-Policy Distillation of
// Language Models", 2024; TRL's GKDTrainer): with probability λ a micro-batch is made of the
// student's own continuations of training prompts, sampled from its current parameters, and the
// teacher's full distributions on those tokens are the targets. The student learns on the sequences
// it actually produces, not only on the teacher's.
import { EngineError } from "../errors.js";
import type { LlamaConfig } from "../model/config.js";
import { InferenceSession } from "../model/inference.js";
import type { ModelTensors } from "../model/parameters.js";
import type { Random } from "../../random/index.js";
import { sampleToken } from "../sampling/sampler.js";
import type { Batch } from "./training-data.js";

export interface OnPolicyOptions {
  /** λ: the probability that a micro-batch is on-policy (TRL default 0.5). */
  lambda: number;
  /** Prompt token ids, each ending where the assistant's answer begins. */
  prompts: Int32Array[];
  /** Generation stops after this token (included as a target) or after maxNewTokens. */
  stopToken: number;
  /** Default 64 (bounded by the sequence length). */
  maxNewTokens?: number;
  /** Sampling temperature of the student's generations (TRL default 0.9). */
  temperature?: number;
}

export function checkOnPolicy(options: OnPolicyOptions): void {
  if (!(options.lambda >= 0 && options.lambda <= 1)) throw new EngineError("ENGINE_INVALID_ARGUMENT", `λ must be in [0, 1], got ${options.lambda}`);
  if (options.lambda > 0 && options.prompts.length === 0) throw new EngineError("ENGINE_INVALID_ARGUMENT", "on-policy distillation needs at least one prompt");
}

/**
 * B sequences: a random prompt, then the student's sampled continuation; targets are the generated
 * tokens only (the prompt is context). No sparse teacher targets: the caller scores with a teacher.
 */
export function onPolicyBatch(config: LlamaConfig, params: ModelTensors, options: OnPolicyOptions, B: number, T: number, random: Random): Batch {
  const batch: Batch = { B, T, inputs: new Int32Array(B * T), targets: new Int32Array(B * T).fill(-1), teacherIds: null, teacherLogprobs: null };
  // The parameters change every update: one decoder per batch, shared by its B generations.
  const decoder = InferenceSession.prepareDecoder(config, params);
  const temperature = options.temperature ?? 0.9;
  for (let b = 0; b < B; b++) {
    const prompt = options.prompts[random.int(options.prompts.length)]!.subarray(0, T);
    const sequence = Array.from(prompt);
    const budget = Math.min(options.maxNewTokens ?? 64, T + 1 - sequence.length);
    if (budget > 0) {
      const session = new InferenceSession(config, params, { decoder });
      let logits = session.feed(sequence);
      for (let i = 0; i < budget; i++) {
        const token = sampleToken(logits, sequence, { temperature, random });
        sequence.push(token);
        if (token === options.stopToken || i === budget - 1) break;
        logits = session.feed([token]);
      }
    }
    // Row b: inputs are sequence[0..], the target at t is sequence[t + 1] when it was generated.
    for (let t = 0; t < Math.min(T, sequence.length - 1); t++) {
      batch.inputs[b * T + t] = sequence[t]!;
      if (t + 1 >= prompt.length) batch.targets[b * T + t] = sequence[t + 1]!;
    }
  }
  return batch;
}
