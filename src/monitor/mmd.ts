// The MMD window detector of arXiv 2606.05725 (LabRAI/mmd-llm-mea-detection), for comparison with
// the monitor: windows of query embeddings, the unbiased MMD² (Gretton et al., JMLR 2012) with RBF
// kernels at {0.5, 1, 2, 4} × the median-heuristic bandwidth (averaged), a window's score the mean
// MMD² against R benign reference windows, and a null from benign-vs-benign window pairs:
// p = (1 + #{null ≥ score}) / (N + 1); the paper flags above the null's 95th percentile.
import type { Random } from "../random/index.js";
import { EMBEDDING_DIMENSIONS } from "./text-features.js";

const MULTIPLIERS = [0.5, 1, 2, 4];

export interface MmdDetector {
  /** Mean unbiased MMD² against the reference windows. */
  score(window: readonly Float32Array[]): number;
  pValue(score: number): number;
  /** The null's 95th percentile (the paper's threshold). */
  threshold: number;
}

function squaredDistance(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < EMBEDDING_DIMENSIONS; i++) dot += a[i]! * b[i]!;
  return Math.max(0, 2 - 2 * dot); // unit vectors
}

function kernel(distance: number, gammas: readonly number[]): number {
  let sum = 0;
  for (const gamma of gammas) sum += Math.exp(-gamma * distance);
  return sum / gammas.length;
}

/** Mean kernel value within a window (off-diagonal) or between two windows. */
function meanKernel(x: readonly Float32Array[], y: readonly Float32Array[] | null, gammas: readonly number[]): number {
  let sum = 0;
  let count = 0;
  if (y === null) {
    for (let i = 0; i < x.length; i++) for (let j = i + 1; j < x.length; j++) (sum += 2 * kernel(squaredDistance(x[i]!, x[j]!), gammas), count += 2);
  } else {
    for (const a of x) for (const b of y) (sum += kernel(squaredDistance(a, b), gammas), count++);
  }
  return count ? sum / count : 0;
}

export function fitMmdDetector(benignWindows: readonly (readonly Float32Array[])[], rng: Random, options: { references?: number; nullPairs?: number } = {}): MmdDetector {
  const windows = rng.shuffle([...benignWindows]);
  const references = windows.slice(0, options.references ?? 20);
  const held = windows.slice(references.length);
  // Median heuristic on a sample of pooled benign queries: σ = median distance.
  const pool = rng.shuffle(references.flat()).slice(0, 400);
  const distances: number[] = [];
  for (let i = 0; i < pool.length; i++) for (let j = i + 1; j < pool.length; j++) distances.push(squaredDistance(pool[i]!, pool[j]!));
  distances.sort((a, b) => a - b);
  const median = Math.sqrt(distances[distances.length >> 1] ?? 1) || 1;
  const gammas = MULTIPLIERS.map((multiplier) => 1 / (2 * (multiplier * median) ** 2));
  const within = references.map((window) => meanKernel(window, null, gammas));
  const mmd = (window: readonly Float32Array[], index: number, self: number) => self + within[index]! - 2 * meanKernel(window, references[index]!, gammas);
  const score = (window: readonly Float32Array[]) => {
    const self = meanKernel(window, null, gammas);
    return references.reduce((sum, _, index) => sum + mmd(window, index, self), 0) / references.length;
  };
  // Benign-vs-benign pairs: a held-out benign window against one reference window.
  const pairs = options.nullPairs ?? 1000;
  const nullScores = Float64Array.from({ length: Math.min(pairs, held.length * references.length) }, (_, i) => {
    const window = held[i % held.length]!;
    return mmd(window, rng.int(references.length), meanKernel(window, null, gammas));
  }).sort();
  return {
    score,
    threshold: nullScores[Math.floor(0.95 * (nullScores.length - 1))] ?? Infinity,
    pValue: (value) => (1 + nullScores.filter((x) => x >= value).length) / (nullScores.length + 1),
  };
}
