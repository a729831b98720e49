// Two-sample permutation test (Monte Carlo). p = (1 + #{permuted >= observed}) / (1 + B), which is
// a valid p-value for any B (Phipson & Smyth 2010).
import { StatsError } from "./errors.js";

export interface PermutationOptions {
  /** The seeded generator that permutes (createRandom of the random leaf fits; stats imports nothing but the errors leaf). */
  rng: { shuffle<T>(items: T[]): T[] };
  permutations?: number;
  /** Larger means more evidence against H0. Default: mean(x) − mean(y). */
  statistic?: (x: readonly number[], y: readonly number[]) => number;
  alternative?: "greater" | "two-sided";
}

export interface PermutationResult {
  statistic: number;
  p_value: number;
  permutations: number;
}

export function meanDifference(x: readonly number[], y: readonly number[]): number {
  const mean = (values: readonly number[]) => values.reduce((s, v) => s + v, 0) / values.length;
  return mean(x) - mean(y);
}

export function permutationTest(x: readonly number[], y: readonly number[], options: PermutationOptions): PermutationResult {
  if (x.length === 0 || y.length === 0) throw new StatsError("STATS_BAD_ARGUMENT", "permutation test needs two non-empty samples");
  const statistic = options.statistic ?? meanDifference;
  const permutations = options.permutations ?? 9999;
  const score = (value: number) => (options.alternative === "two-sided" ? Math.abs(value) : value);
  const observed = statistic(x, y);
  const pooled = [...x, ...y];
  let atLeast = 0;
  for (let i = 0; i < permutations; i++) {
    options.rng.shuffle(pooled);
    const value = statistic(pooled.slice(0, x.length), pooled.slice(x.length));
    if (score(value) >= score(observed)) atLeast++;
  }
  return { statistic: observed, p_value: (1 + atLeast) / (1 + permutations), permutations };
}
