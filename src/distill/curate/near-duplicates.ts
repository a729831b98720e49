// Near-duplicate detection over many texts: MinHash signatures, LSH bands for candidates, then a
// cheap signature pre-check and the exact Jaccard similarity of the hashed shingle sets. A text is a
// near-duplicate when it is at least `threshold` similar to an earlier text that was kept.
import { createMinHasher, lshParameters, type LshParameters } from "./minhash.js";
import { fmix32, shingleHashes, sortedJaccard, type ShingleKind } from "./shingles.js";

export interface NearDuplicateOptions {
  threshold: number;
  shingle: ShingleKind;
  shingleSize: number;
  numPerm: number;
  seed: number;
}

export interface NearDuplicateResult {
  duplicate: boolean[];
  parameters: LshParameters;
  /** Pairs whose exact similarity was computed (for tuning). */
  exactChecks: number;
}

/** Candidates whose signatures agree on fewer positions than this below the threshold are skipped:
 *  4 standard errors of the estimate at the threshold, so a true pair is almost never lost. */
function preCheckMargin(threshold: number, numPerm: number): number {
  return 4 * Math.sqrt((threshold * (1 - threshold)) / numPerm) + 1 / numPerm;
}

export function findNearDuplicates(texts: string[], options: NearDuplicateOptions): NearDuplicateResult {
  const { numPerm, threshold } = options;
  const parameters = lshParameters(threshold, numPerm);
  const hasher = createMinHasher(numPerm, options.seed);
  const buckets = Array.from({ length: parameters.bands }, () => new Map<number, number[]>());
  const keptSets: Uint32Array[] = [];
  const keptSignatures: Uint32Array[] = [];
  const stamp = new Int32Array(texts.length).fill(-1);
  const maxMismatches = Math.floor((1 - Math.max(0, threshold - preCheckMargin(threshold, numPerm))) * numPerm);
  const duplicate: boolean[] = [];
  let exactChecks = 0;

  texts.forEach((text, index) => {
    const set = shingleHashes(text, options.shingle, options.shingleSize, options.seed);
    const signature = hasher.signature(set);
    const keys = Array.from({ length: parameters.bands }, (_, band) => bandKey(signature, band, parameters.rows));
    let found = false;
    for (let band = 0; band < parameters.bands && !found; band++) {
      for (const candidate of buckets[band]!.get(keys[band]!) ?? []) {
        if (stamp[candidate] === index) continue;
        stamp[candidate] = index;
        if (mismatches(signature, keptSignatures[candidate]!, maxMismatches) > maxMismatches) continue;
        exactChecks++;
        if (sortedJaccard(set, keptSets[candidate]!) >= threshold) {
          found = true;
          break;
        }
      }
    }
    duplicate.push(found);
    if (found) return;
    const id = keptSets.length;
    keptSets.push(set);
    keptSignatures.push(signature);
    keys.forEach((key, band) => {
      const bucket = buckets[band]!.get(key);
      if (bucket) bucket.push(id);
      else buckets[band]!.set(key, [id]);
    });
  });
  return { duplicate, parameters, exactChecks };
}

/** A 32-bit hash of one band; a rare collision only adds a candidate, which the checks reject. */
function bandKey(signature: Uint32Array, band: number, rows: number): number {
  let h = band + 1;
  for (let i = band * rows; i < (band + 1) * rows; i++) h = fmix32(h ^ signature[i]!) + i;
  return h >>> 0;
}

/** Positions where two signatures differ, stopping once past `limit`. */
function mismatches(a: Uint32Array, b: Uint32Array, limit: number): number {
  let count = 0;
  for (let i = 0; i < a.length && count <= limit; i++) if (a[i] !== b[i]) count++;
  return count;
}
