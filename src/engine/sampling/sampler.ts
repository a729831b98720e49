// Next-token sampling shared by every white-box backend. Order (as in transformers' generate):
// temperature → logits processors (watermarks) → top-k → top-p → softmax → draw with the seeded PRNG.
// Temperature 0 is greedy: processors still run (a watermark or a ban still applies), then argmax.
import { EngineError } from "../errors.js";
import type { Random } from "../../random/index.js";
import type { LogitsProcessor } from "./logits-processor.js";

export interface SampleOptions {
  /** 0 = greedy. Default 1. */
  temperature?: number;
  /** Keep only the k most likely tokens (ties at the k-th value kept). 0/undefined: off. */
  topK?: number;
  /** Keep the smallest set of most likely tokens whose probability reaches p. 1/undefined: off. */
  topP?: number;
  processors?: LogitsProcessor[];
  random: Random;
}

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/** Sets all but the k largest logits to -Infinity, in place. */
export function applyTopK(logits: Float32Array, k: number): void {
  if (!(k > 0) || k >= logits.length) return;
  const threshold = Float32Array.from(logits).sort()[logits.length - k]!;
  for (let i = 0; i < logits.length; i++) if (logits[i]! < threshold) logits[i] = -Infinity;
}

/** Softmax in place (max-subtracted); returns the array. All -Infinity is an error. */
export function softmaxInPlace(logits: Float32Array): Float32Array {
  const max = logits[argmax(logits)]!;
  if (max === -Infinity || Number.isNaN(max)) {
    throw new EngineError("ENGINE_INVALID_ARGUMENT", "every token was removed before sampling (all logits -Infinity or NaN); check the logits processors");
  }
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += logits[i] = Math.exp(logits[i]! - max);
  for (let i = 0; i < logits.length; i++) logits[i]! /= sum;
  return logits;
}

/** Zeroes probabilities outside the nucleus of mass p (most likely first), in place, and renormalises. */
export function applyTopP(probs: Float32Array, p: number): void {
  if (!(p < 1)) return;
  const order = Array.from(probs.keys()).filter((i) => probs[i]! > 0).sort((a, b) => probs[b]! - probs[a]! || a - b);
  let mass = 0;
  let kept = 0;
  while (kept < order.length && (kept === 0 || mass < p)) mass += probs[order[kept++]!]!;
  for (let j = kept; j < order.length; j++) probs[order[j]!] = 0;
  for (let j = 0; j < kept; j++) probs[order[j]!]! /= mass;
}

/** Inverse-CDF draw from a normalised distribution. */
export function drawFrom(probs: ArrayLike<number>, random: Random): number {
  const u = random.uniform32();
  let cumulative = 0;
  let last = 0;
  for (let i = 0; i < probs.length; i++) {
    if (probs[i]! <= 0) continue;
    cumulative += probs[i]!;
    last = i;
    if (u < cumulative) return i;
  }
  return last; // rounding left u just above the total
}

/** Picks the next token. `logits` (V,) is not modified. */
export function sampleToken(logits: Float32Array, context: ArrayLike<number>, options: SampleOptions): number {
  const temperature = options.temperature ?? 1;
  if (!(temperature >= 0)) throw new EngineError("ENGINE_INVALID_ARGUMENT", `temperature must be ≥ 0, got ${temperature}`);
  const work = Float32Array.from(logits);
  if (temperature > 0 && temperature !== 1) for (let i = 0; i < work.length; i++) work[i]! /= temperature;
  for (const processor of options.processors ?? []) processor.process(context, work);
  if (temperature === 0) {
    const best = argmax(work);
    if (work[best] === -Infinity || Number.isNaN(work[best])) softmaxInPlace(work); // throws the clear error
    return best;
  }
  applyTopK(work, options.topK ?? 0);
  const probs = softmaxInPlace(work);
  applyTopP(probs, options.topP ?? 1);
  return drawFrom(probs, options.random);
}
