// One number per window: the sum over features of −log of the feature's empirical upper-tail
// probability among the benign fit windows at the same look, (1 + #{fit ≥ x}) / (N + 1). A trait a
// tenth of benign clients share adds log 10 ≈ 2.3; a value beyond every benign window adds
// log(N + 1) plus how far it lies beyond them, on the scale of an exponential tail fitted from the
// 90th percentile to the maximum (so a harvest at a hundred times the busiest benign rate stands out
// more than one just past it, up to EXTRAPOLATION_CAP; a tail too thin to fit is not extended);
// several mild signals add up. The sum is a score, not a p-value (the features are
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
const MIN_TAIL = 3;

/** The first index whose value is > x. */
function upperBound(sorted: Float64Array, x: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle]! <= x) low = middle + 1;
    else high = middle;
  }
  return low;
}

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
/** `total`: the windows the share is out of, when some never reached this look (they count as below). */
export function tailSurprise(sorted: Float64Array, x: number, cap = EXTRAPOLATION_CAP, total = sorted.length): number {
  const n = sorted.length;
  const surprise = -Math.log(tailShare(sorted, x, total));
  if (n < 10 || !(x > sorted[n - 1]!)) return surprise;
  const max = sorted[n - 1]!;
  // The tail's scale from the windows above the 90th percentile (an exponential's excess over a
  // threshold, whose largest of m is about scale · ln m). Fewer than MIN_TAIL of them, as when most
  // benign windows never truncate at all, give no shape to extend: being beyond them all is worth
  // log(N + 1), no more.
  const threshold = sorted[Math.floor(0.9 * (n - 1))]!;
  const above = n - upperBound(sorted, threshold);
  if (above < MIN_TAIL) return surprise;
  const spread = (max - threshold) / Math.log(above + 1);
  return surprise + Math.min(cap, (x - max) / spread);
}

/** (1 + #{values ≥ x}) / (N + 1), N = `total`. */
export function tailShare(sorted: Float64Array, x: number, total = sorted.length): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle]! < x) low = middle + 1;
    else high = middle;
  }
  return (1 + sorted.length - low) / (total + 1);
}

export interface WindowScore {
  score: number;
  /** The largest single feature's surprise: one trait far beyond every benign window. */
  peak: number;
  /** Each feature's benign tail share. */
  tails: Features;
  /** Features whose tail share is ≤ SIGNAL_TAIL (or beyond every fit window), rarest first. */
  signals: FeatureName[];
}

export function scoreWindow(features: Features, normalizer: Normalizer, skip: readonly FeatureName[] = []): WindowScore {
  const tails = {} as Features;
  let score = 0;
  let peak = 0;
  for (const name of FEATURE_NAMES) {
    tails[name] = tailShare(normalizer.sorted[name], features[name]);
    if (skip.includes(name)) continue;
    const surprise = tailSurprise(normalizer.sorted[name], features[name]);
    score += surprise;
    peak = Math.max(peak, surprise);
  }
  // With few fit windows at a look, "beyond every one of them" is the rarest a feature can be.
  const signal = (name: FeatureName) => tails[name] <= Math.max(SIGNAL_TAIL, 1 / (normalizer.sorted[name].length + 1));
  const signals = FEATURE_NAMES.filter((name) => !skip.includes(name) && signal(name)).sort((a, b) => tails[a] - tails[b]);
  return { score, peak, tails, signals };
}
