// Kendall's tau of a permutation against the identity order, with its exact null in log space.
//
// Under the null a permutation π of n items is uniform, and its number of inversions
// I = #{i < j : π(i) > π(j)} follows the Mahonian distribution; tau = 1 − 4I / (n(n − 1)).
// Why Kendall and not Spearman (the statistic of Zhu et al., "Independence Tests for Language
// Models", ICML 2025): for n in the hundreds Spearman's exact null cannot be enumerated and its t
// approximation is not exact, whereas the Mahonian law has a recurrence that is exact and cheap:
//   P_m(k) = (1/m) Σ_{j=0}^{m−1} P_{m−1}(k − j)   (the item m lands in one of m slots, adding j inversions;
// Knuth, TAOCP vol. 3, §5.1.1). The window sum is a difference of prefix sums. Each row is symmetric,
// P_m(k) = P_m(M − k) with M = m(m − 1)/2, so only its lower half is computed: there the prefix sums
// grow away from each other and the difference loses no precision (the upper tail, near 1, would).
// Cost: Σ m²/4 ≈ n³/12 log-additions (n = 512: about 11 million).
import { StatsError } from "./errors.js";
import { log1mExp, logAddExp } from "./log-space.js";

/** ln P(I = k) for k = 0..floor(M/2) (the lower half; the rest follows by symmetry). */
function mahonianLowerHalf(n: number): Float64Array {
  let row = new Float64Array([0]); // m = 1: one permutation, no inversion
  for (let m = 2; m <= n; m++) {
    const previousMax = ((m - 1) * (m - 2)) / 2;
    const at = (k: number): number => (k <= row.length - 1 ? row[k] : k <= previousMax ? row[previousMax - k] : -Infinity);
    const half = Math.floor((m * (m - 1)) / 4);
    const prefix = new Float64Array(half + 1); // ln Σ_{i ≤ k} P_{m−1}(i)
    const next = new Float64Array(half + 1);
    const logM = Math.log(m);
    let running = -Infinity;
    for (let k = 0; k <= half; k++) {
      running = logAddExp(running, at(k));
      prefix[k] = running;
      const dropped = k - m >= 0 ? prefix[k - m] : -Infinity;
      next[k] = running + (dropped === -Infinity ? 0 : log1mExp(dropped - running)) - logM;
    }
    row = next;
  }
  return row;
}

export interface MahonianTable {
  n: number;
  /** The largest number of inversions, n(n − 1)/2. */
  max: number;
  /** ln P(I = k). */
  logPmf(k: number): number;
  /** ln P(I ≤ k). */
  logCdf(k: number): number;
}

let cached: MahonianTable | undefined;

/** The exact null law of the inversions of a uniform permutation of n items (the last n is memoised). */
export function mahonianTable(n: number): MahonianTable {
  if (!Number.isInteger(n) || n < 1) throw new StatsError("STATS_BAD_ARGUMENT", `the Mahonian law needs an integer n >= 1, got ${n}`);
  if (cached?.n === n) return cached;
  const half = mahonianLowerHalf(n);
  const max = (n * (n - 1)) / 2;
  const lowerCdf = new Float64Array(half.length);
  let running = -Infinity;
  for (let k = 0; k < half.length; k++) lowerCdf[k] = running = logAddExp(running, half[k]);
  const logPmf = (k: number): number => {
    if (!Number.isInteger(k) || k < 0 || k > max) return -Infinity;
    return k < half.length ? half[k] : half[max - k];
  };
  const logCdf = (k: number): number => {
    if (k < 0) return -Infinity;
    if (k >= max) return 0;
    const j = Math.floor(k);
    // P(I ≤ j) = 1 − P(I ≥ j + 1) = 1 − P(I ≤ M − j − 1) by symmetry.
    return j < half.length ? lowerCdf[j] : log1mExp(lowerCdf[max - j - 1]);
  };
  cached = { n, max, logPmf, logCdf };
  return cached;
}

/** The number of pairs i < j with permutation[i] > permutation[j] (Fenwick tree, O(n log n)). */
export function countInversions(permutation: ArrayLike<number>): number {
  const n = permutation.length;
  const seen = new Uint8Array(n);
  const tree = new Int32Array(n + 1);
  let inversions = 0;
  for (let i = 0; i < n; i++) {
    const value = permutation[i];
    if (!Number.isInteger(value) || value < 0 || value >= n || seen[value]) {
      throw new StatsError("STATS_BAD_ARGUMENT", `not a permutation of 0..${n - 1}: entry ${i} is ${value}`);
    }
    seen[value] = 1;
    let smallerBefore = 0;
    for (let j = value + 1; j > 0; j -= j & -j) smallerBefore += tree[j];
    inversions += i - smallerBefore;
    for (let j = value + 1; j <= n; j += j & -j) tree[j]++;
  }
  return inversions;
}

export interface KendallResult {
  n: number;
  inversions: number;
  tau: number;
  /** ln P(I ≤ observed): conservative (valid, not uniform: the law is discrete). */
  log_p: number;
  /** ln [P(I < observed) + u · P(I = observed)]: exactly uniform under the null. */
  log_p_randomized: number;
}

/**
 * Is the permutation closer to the identity than chance? Small p when it has few inversions.
 * `u` in [0, 1] is the caller's uniform draw for the randomised p-value (from its seeded generator).
 */
export function kendallIdentityTest(permutation: ArrayLike<number>, u: number): KendallResult {
  if (!(u >= 0 && u <= 1)) throw new StatsError("STATS_BAD_ARGUMENT", `u must be a uniform draw in [0, 1], got ${u}`);
  const n = permutation.length;
  if (n < 2) throw new StatsError("STATS_BAD_ARGUMENT", `Kendall's test needs at least 2 items, got ${n}`);
  const inversions = countInversions(permutation);
  const table = mahonianTable(n);
  const below = table.logCdf(inversions - 1);
  const randomized = u > 0 ? logAddExp(below, Math.log(u) + table.logPmf(inversions)) : below;
  return {
    n,
    inversions,
    tau: 1 - (4 * inversions) / (n * (n - 1)),
    log_p: table.logCdf(inversions),
    log_p_randomized: randomized,
  };
}
