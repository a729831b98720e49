// MinHash signatures and LSH banding for near-duplicate detection.
// Broder, "On the resemblance and containment of documents" (1997): the probability that two sets
// share a minimum under a random hash equals their Jaccard similarity. Banding as in Leskovec,
// Rajaraman & Ullman, "Mining of Massive Datasets", ch. 3.4: b bands of r rows; a pair with
// similarity s becomes a candidate with probability 1 − (1 − s^r)^b. The (b, r) choice minimises the
// weighted false-positive and false-negative areas around the threshold, like datasketch's
// _optimal_param; candidates are then checked exactly, so misses cost more than extra candidates and
// false negatives weigh 0.9 (at 0.8 with 128 permutations: 14 bands of 9, P(candidate | s = 0.85) ≈ 0.97).
import { fmix32 } from "./shingles.js";

export interface MinHasher {
  numPerm: number;
  /** The signature of a set of 32-bit shingle hashes (see shingleHashes). */
  signature(shingleHashes: ArrayLike<number>): Uint32Array;
}

export function createMinHasher(numPerm: number, seed: number): MinHasher {
  // Each "permutation" is h_i(x) = fmix32(x ⊕ s_i) with seeded s_i: a different bijection per i.
  const salts = new Uint32Array(numPerm);
  for (let i = 0; i < numPerm; i++) salts[i] = fmix32((seed * 0x9e3779b1 + i * 0x85ebca77 + 1) >>> 0);
  return {
    numPerm,
    signature(hashes) {
      const signature = new Uint32Array(numPerm).fill(0xffffffff);
      for (let h = 0; h < hashes.length; h++) {
        const base = hashes[h]!;
        for (let i = 0; i < numPerm; i++) {
          const value = fmix32(base ^ salts[i]!);
          if (value < signature[i]!) signature[i] = value;
        }
      }
      return signature;
    },
  };
}

/** Share of signature positions that agree: an unbiased estimate of Jaccard similarity. */
export function estimatedJaccard(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

export interface LshParameters {
  bands: number;
  rows: number;
}

export function lshParameters(threshold: number, numPerm: number, falsePositiveWeight = 0.1): LshParameters {
  let best: LshParameters & { error: number } = { bands: 1, rows: numPerm, error: Infinity };
  for (let bands = 1; bands <= numPerm; bands++) {
    for (let rows = 1; rows * bands <= numPerm; rows++) {
      const candidate = (s: number) => 1 - (1 - s ** rows) ** bands;
      const falsePositive = integrate(candidate, 0, threshold);
      const falseNegative = integrate((s) => 1 - candidate(s), threshold, 1);
      const error = falsePositiveWeight * falsePositive + (1 - falsePositiveWeight) * falseNegative;
      if (error < best.error) best = { bands, rows, error };
    }
  }
  return { bands: best.bands, rows: best.rows };
}

function integrate(f: (x: number) => number, from: number, to: number, steps = 64): number {
  const width = (to - from) / steps;
  let area = 0;
  for (let i = 0; i < steps; i++) area += f(from + (i + 0.5) * width) * width;
  return area;
}
