// One number per window: the sum over features of −log of the feature's empirical upper-tail
// probability among the benign fit windows at the same look, (1 + #{fit ≥ x}) / (N + 1). A trait a
// tenth of benign clients share adds log 10 ≈ 2.3; a value beyond every benign window adds
// log(N + 1) plus how far it lies beyond them, on the scale of an exponential tail fitted from the
// 90th percentile to the maximum (so a harvest at a hundred times the busiest benign rate stands out
// more than one just past it, up to EXTRAPOLATION_CAP); several mild signals add up. The sum is a score, not a p-value (the features are
// dependent): its p-value is conformal, against the calibration split (conformal.ts).
import { FEATURE_NAMES, type FeatureName, type Features } from "./features.js";

export interface Normalizer {
  /** Fit windows' values per feature, ascending. */
  sorted: Record<FeatureName, Float64Array>;
  /** The fit windows' medians (reported beside an alert's features). */
  median: Features;
}

/** A feature is named among an alert's signals when fewer than this share of benign windows reach it. */
export const SIGNAL_TAIL = 0.01;
const EXTRAPOLATION_CAP = 20;

export function fitNormalizer(samples: Features[]): Normalizer {
  const sorted = {} as Record<FeatureName, Float64Array>;
  const median = {} as Features;
  for (const name of FEATURE_NAMES) {
    sorted[name] = Float64Array.from(samples, (features) => features[name]).sort();
    median[name] = sorted[name].length ? sorted[name][sorted[name].length >> 1]! : 0;
  }
  return { sorted, median };
}

/** −log of the tail share, extrapolated past the largest value (see the header). */
export function tailSurprise(sorted: Float64Array, x: number): number {
  const n = sorted.length;
  const surprise = -Math.log(tailShare(sorted, x));
  if (n < 10 || !(x > sorted[n - 1]!)) return surprise;
  const max = sorted[n - 1]!;
  const spread = (max - sorted[Math.floor(0.9 * (n - 1))]!) / Math.log(0.1 * (n + 1));
  if (!(spread > 0)) return surprise + EXTRAPOLATION_CAP;
  return surprise + Math.min(EXTRAPOLATION_CAP, (x - max) / spread);
}

/** (1 + #{values ≥ x}) / (N + 1). */
export function tailShare(sorted: Float64Array, x: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle]! < x) low = middle + 1;
    else high = middle;
  }
  return (1 + sorted.length - low) / (sorted.length + 1);
}

export interface WindowScore {
  score: number;
  /** Each feature's benign tail share. */
  tails: Features;
  /** Features whose tail share is ≤ SIGNAL_TAIL (or beyond every fit window), rarest first. */
  signals: FeatureName[];
}

export function scoreWindow(features: Features, normalizer: Normalizer, skip: readonly FeatureName[] = []): WindowScore {
  const tails = {} as Features;
  let score = 0;
  for (const name of FEATURE_NAMES) {
    tails[name] = tailShare(normalizer.sorted[name], features[name]);
    if (!skip.includes(name)) score += tailSurprise(normalizer.sorted[name], features[name]);
  }
  // With few fit windows at a look, "beyond every one of them" is the rarest a feature can be.
  const signal = (name: FeatureName) => tails[name] <= Math.max(SIGNAL_TAIL, 1 / (normalizer.sorted[name].length + 1));
  const signals = FEATURE_NAMES.filter((name) => !skip.includes(name) && signal(name)).sort((a, b) => tails[a] - tails[b]);
  return { score, tails, signals };
}
