// Seeded sampling with a chain of logits processors, the way the engine samples: used by tests and
// benchmarks to produce watermarked and plain generations from the simulation model.
import type { Random } from "../../random/index.js";
import type { LogitsProcessor } from "../logits-processor.js";

export interface NextLogits {
  readonly vocab: number;
  logits(previous: number, out?: Float32Array): Float32Array;
}

/** Samples an index from logits (softmax) with one uniform draw. Overwrites `logits`. */
export function sampleLogits(logits: Float32Array, rng: Random): number {
  let max = -Infinity;
  for (let v = 0; v < logits.length; v++) if (logits[v] > max) max = logits[v];
  let sum = 0;
  for (let v = 0; v < logits.length; v++) {
    const weight = logits[v] === -Infinity ? 0 : Math.exp(logits[v] - max);
    logits[v] = weight;
    sum += weight;
  }
  // The logits buffer now holds unnormalised weights; walk it once with the uniform draw.
  let target = rng.uniform53() * sum;
  let last = 0;
  for (let v = 0; v < logits.length; v++) {
    if (logits[v] === 0) continue;
    last = v;
    target -= logits[v];
    if (target < 0) return v;
  }
  return last;
}

/** `prompt` followed by `length` sampled tokens (returned without the prompt). */
export function generateTokens(
  model: NextLogits,
  prompt: ArrayLike<number>,
  length: number,
  rng: Random,
  processors: LogitsProcessor[] = [],
): Int32Array {
  const context: number[] = Array.from(prompt);
  const scratch = new Float32Array(model.vocab);
  for (let step = 0; step < length; step++) {
    const logits = model.logits(context[context.length - 1] ?? 0, scratch);
    for (const processor of processors) processor.process(context, logits);
    context.push(sampleLogits(logits, rng));
  }
  return Int32Array.from(context.slice(prompt.length));
}
