// Keyed per-token hashes H(t) = HalfSipHash-1-3_K(t, 0) for min-hash context selection, cached in a
// growing table so that sliding windows and whole-vocabulary passes stay cheap.
import { prf2 } from "./half-siphash.js";

export class TokenHashTable {
  private values = new Uint32Array(0);
  private known = new Uint8Array(0);

  constructor(private readonly key: [number, number]) {}

  hash(token: number): number {
    if (token < this.values.length) {
      // Fast path: a cached value (0 is a legitimate hash, so `known` decides).
      if (this.known[token] === 1) return this.values[token];
    } else if (token < 1 << 24) {
      this.grow(token + 1);
    } else {
      return prf2(this.key[0], this.key[1], token, 0);
    }
    const value = prf2(this.key[0], this.key[1], token, 0);
    this.values[token] = value;
    this.known[token] = 1;
    return value;
  }

  /** H for every token below `vocab`. */
  table(vocab: number): Uint32Array {
    if (this.values.length < vocab) this.grow(vocab);
    for (let t = 0; t < vocab; t++) if (this.known[t] === 0) this.hash(t);
    return this.values;
  }

  /** The token of ids[start..end − 1] with the smallest (H(token), token). */
  argmin(ids: ArrayLike<number>, start: number, end: number): number {
    let best = ids[start];
    let bestHash = this.hash(best);
    for (let i = start + 1; i < end; i++) {
      const token = ids[i];
      const value = token < this.known.length && this.known[token] === 1 ? this.values[token] : this.hash(token);
      if (value < bestHash || (value === bestHash && token < best)) {
        best = token;
        bestHash = value;
      }
    }
    return best;
  }

  /** `token` when it precedes `other` in (H, id) order, else `other`. */
  smaller(token: number, other: number): number {
    const a = this.hash(token);
    const b = this.hash(other);
    return a < b || (a === b && token < other) ? token : other;
  }

  private grow(size: number): void {
    let capacity = Math.max(1024, this.values.length);
    while (capacity < size) capacity *= 2;
    const values = new Uint32Array(capacity);
    const known = new Uint8Array(capacity);
    values.set(this.values);
    known.set(this.known);
    this.values = values;
    this.known = known;
  }
}
