// A count-based bigram "student" trained on token sequences (additive smoothing toward the unigram
// distribution): the smallest model that can inherit a KGW h = 1 watermark from its training data.
import type { Random } from "../../random/index.js";
import { sampleLogits } from "../simulation/generate.js";

export class CountBigram {
  private readonly counts: Float64Array;
  private readonly rowTotals: Float64Array;
  private readonly unigram: Float64Array;

  constructor(readonly vocab: number, sequences: ArrayLike<number>[], private readonly smoothing = 1) {
    this.counts = new Float64Array(vocab * vocab);
    this.rowTotals = new Float64Array(vocab);
    this.unigram = new Float64Array(vocab).fill(1);
    let total = vocab;
    for (const ids of sequences) {
      for (let i = 0; i < ids.length; i++) {
        this.unigram[ids[i]]++;
        total++;
        if (i > 0) {
          this.counts[ids[i - 1] * vocab + ids[i]]++;
          this.rowTotals[ids[i - 1]]++;
        }
      }
    }
    for (let v = 0; v < vocab; v++) this.unigram[v] /= total;
  }

  probabilities(previous: number, out = new Float32Array(this.vocab)): Float32Array {
    const row = previous * this.vocab;
    const denominator = this.rowTotals[previous] + this.smoothing;
    for (let v = 0; v < this.vocab; v++) out[v] = (this.counts[row + v] + this.smoothing * this.unigram[v]) / denominator;
    return out;
  }

  logits(previous: number, out = new Float32Array(this.vocab)): Float32Array {
    this.probabilities(previous, out);
    for (let v = 0; v < this.vocab; v++) out[v] = Math.log(out[v]);
    return out;
  }

  async nextDistributions(tokens: Int32Array): Promise<Float32Array[]> {
    return Array.from(tokens, (token) => this.probabilities(token));
  }

  generate(first: number, length: number, rng: Random): Int32Array {
    const out = new Int32Array(length);
    const scratch = new Float32Array(this.vocab);
    let previous = first;
    for (let i = 0; i < length; i++) previous = out[i] = sampleLogits(this.logits(previous, scratch), rng);
    return out;
  }
}
