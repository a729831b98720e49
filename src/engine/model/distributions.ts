// Next-token probability distributions for every position of a token sequence (scoring, audits,
// logit-level distillation): one batched pass through a fresh KV-cache session.
import { EngineError } from "../errors.js";
import type { LlamaConfig } from "./config.js";
import { InferenceSession } from "./inference.js";
import type { ModelTensors } from "./parameters.js";

/** Row i is p(token i+1 | tokens 0..i), (V) each. */
export function nextTokenDistributions(config: LlamaConfig, params: ModelTensors, tokens: ArrayLike<number>): Float32Array[] {
  if (tokens.length === 0) return [];
  if (tokens.length > config.contextLength) {
    throw new EngineError("ENGINE_CONTEXT_OVERFLOW", `${tokens.length} tokens exceed the model's context of ${config.contextLength}; score shorter texts`);
  }
  const V = config.vocabSize;
  const logits = new InferenceSession(config, params).feed(tokens, true);
  const rows: Float32Array[] = [];
  for (let t = 0; t < tokens.length; t++) {
    const row = logits.subarray(t * V, t * V + V);
    let max = -Infinity;
    for (let j = 0; j < V; j++) if (row[j] > max) max = row[j];
    let sum = 0;
    const p = new Float32Array(V);
    for (let j = 0; j < V; j++) sum += p[j] = Math.exp(row[j] - max);
    for (let j = 0; j < V; j++) p[j] /= sum;
    rows.push(p);
  }
  return rows;
}
