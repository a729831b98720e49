// A seeded random bigram language model for tests and benchmarks of the watermark schemes, used
// until trained models exist: logits(prev)[v] = −zipf·ln(1 + rank(v)) + noise·N(prev, v), where
// rank is a seeded permutation and N a hash-derived normal, so no V × V table is stored.
import { createRandom } from "../../random/index.js";

export interface BigramModelOptions {
  vocab?: number;
  seed?: number;
  /** Zipf exponent of the unigram backbone (larger: lower entropy). */
  zipf?: number;
  /** Scale of the per-context perturbation. */
  noise?: number;
}

export class BigramModel {
  readonly vocab: number;
  private readonly base: Float32Array;
  private readonly seed: number;
  private readonly noise: number;

  constructor(options: BigramModelOptions = {}) {
    this.vocab = options.vocab ?? 4096;
    this.seed = (options.seed ?? 1) >>> 0;
    this.noise = options.noise ?? 1.5;
    const rng = createRandom(this.seed);
    const ranks = rng.shuffle(Array.from({ length: this.vocab }, (_, i) => i));
    const zipf = options.zipf ?? 1.1;
    this.base = new Float32Array(this.vocab);
    ranks.forEach((token, rank) => (this.base[token] = -zipf * Math.log(1 + rank)));
  }

  /** Next-token logits after `previous` (written into `out`). */
  logits(previous: number, out = new Float32Array(this.vocab)): Float32Array {
    const salt = Math.imul(previous + 1, 0x9e3779b1) ^ this.seed;
    for (let v = 0; v < this.vocab; v++) out[v] = this.base[v] + this.noise * hashNormal(salt, v);
    return out;
  }

  /** ln p(token | previous). */
  logProbability(previous: number, token: number, scratch = new Float32Array(this.vocab)): number {
    const logits = this.logits(previous, scratch);
    let max = -Infinity;
    for (let v = 0; v < logits.length; v++) max = Math.max(max, logits[v]);
    let sum = 0;
    for (let v = 0; v < logits.length; v++) sum += Math.exp(logits[v] - max);
    return logits[token] - max - Math.log(sum);
  }

  /** Perplexity of a sequence under the model (the first token is not predicted). */
  perplexity(ids: ArrayLike<number>): number {
    const scratch = new Float32Array(this.vocab);
    let total = 0;
    for (let i = 1; i < ids.length; i++) total -= this.logProbability(ids[i - 1], ids[i], scratch);
    return Math.exp(total / Math.max(1, ids.length - 1));
  }

  /** The TokenModel-style interface used by reading-mode radioactivity. */
  async nextDistributions(tokens: Int32Array): Promise<Float32Array[]> {
    const rows: Float32Array[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const row = this.logits(tokens[i]);
      let max = -Infinity;
      for (let v = 0; v < row.length; v++) max = Math.max(max, row[v]);
      let sum = 0;
      for (let v = 0; v < row.length; v++) sum += row[v] = Math.exp(row[v] - max);
      for (let v = 0; v < row.length; v++) row[v] /= sum;
      rows.push(row);
    }
    return rows;
  }
}

/** An approximately standard normal value from a hash of (salt, v): sum of four uniforms, rescaled. */
function hashNormal(salt: number, v: number): number {
  let h = Math.imul(salt ^ Math.imul(v, 0x85ebca6b), 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  const sum = (h & 0xff) + ((h >>> 8) & 0xff) + ((h >>> 16) & 0xff) + (h >>> 24);
  // Four U{0..255}: mean 510, variance 4 · (256² − 1) / 12.
  return (sum - 510) / 147.8;
}
