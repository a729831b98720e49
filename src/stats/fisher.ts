// Fisher's exact test on a 2×2 table. The hypergeometric mass uses Loader's binomial form
// (as R's dhyper) so that large margins keep full precision.
import { logBinomialPmf } from "./binomial.js";
import { StatsError } from "./errors.js";
import { logSumExp } from "./log-space.js";

export type Alternative = "greater" | "less" | "two-sided";

export interface TestResult {
  statistic: number;
  /** Natural log of the p-value. */
  log_p: number;
  p_value: number;
}

/** ln P(X = x) for X the white balls in n draws from `white` white and `black` black balls. */
export function logHypergeometricPmf(x: number, white: number, black: number, n: number): number {
  const total = white + black;
  if (x < Math.max(0, n - black) || x > Math.min(n, white)) return -Infinity;
  if (n === 0 || n === total) return 0;
  const p = n / total;
  return logBinomialPmf(x, white, p) + logBinomialPmf(n - x, black, p) - logBinomialPmf(n, total, p);
}

/**
 * Table [[a, b], [c, d]]; the statistic is a. "greater" tests whether a is larger than independence
 * predicts (odds ratio > 1); "two-sided" sums every table no more likely than the observed one.
 */
export function fisherExactTest(table: [[number, number], [number, number]], alternative: Alternative = "two-sided"): TestResult {
  const [[a, b], [c, d]] = table;
  for (const cell of [a, b, c, d]) {
    if (!Number.isInteger(cell) || cell < 0) {
      throw new StatsError("STATS_BAD_ARGUMENT", `Fisher's test needs non-negative integer counts, got ${JSON.stringify(table)}`);
    }
  }
  const white = a + c;
  const black = b + d;
  const n = a + b;
  const low = Math.max(0, n - black);
  const high = Math.min(n, white);
  const logs: number[] = [];
  for (let x = low; x <= high; x++) logs.push(logHypergeometricPmf(x, white, black, n));
  const observed = logs[a - low];
  const picked: number[] = [];
  for (let x = low; x <= high; x++) {
    const value = logs[x - low];
    const keep = alternative === "greater" ? x >= a : alternative === "less" ? x <= a : value <= observed + 1e-7;
    if (keep) picked.push(value);
  }
  const logP = Math.min(0, logSumExp(picked));
  return { statistic: a, log_p: logP, p_value: Math.exp(logP) };
}
