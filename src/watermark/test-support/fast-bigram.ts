// Fast unwatermarked sampling from a BigramModel for the null tests: each context's cumulative
// distribution is computed once, then a draw is a binary search.
import type { Random } from "../../random/index.js";
import type { BigramModel } from "../simulation/bigram-model.js";

export class CachedBigramSampler {
  private readonly rows = new Map<number, Float64Array>();

  constructor(private readonly model: BigramModel) {}

  private row(previous: number): Float64Array {
    let cdf = this.rows.get(previous);
    if (cdf) return cdf;
    const logits = this.model.logits(previous);
    let max = -Infinity;
    for (const value of logits) max = Math.max(max, value);
    cdf = new Float64Array(logits.length);
    let sum = 0;
    for (let v = 0; v < logits.length; v++) cdf[v] = sum += Math.exp(logits[v] - max);
    for (let v = 0; v < logits.length; v++) cdf[v] /= sum;
    this.rows.set(previous, cdf);
    return cdf;
  }

  next(previous: number, rng: Random): number {
    const cdf = this.row(previous);
    const target = rng.uniform53();
    let low = 0;
    let high = cdf.length - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (cdf[mid] > target) high = mid;
      else low = mid + 1;
    }
    return low;
  }

  sequence(first: number, length: number, rng: Random): Int32Array {
    const out = new Int32Array(length);
    let previous = first;
    for (let i = 0; i < length; i++) previous = out[i] = this.next(previous, rng);
    return out;
  }
}
