// Binomial probabilities in log space. Tails go through the incomplete beta:
// P(X >= k) = I_p(k, n − k + 1); the mass function follows Loader (2000), as in R's dbinom.
import { logBetaIncomplete } from "./beta.js";
import { bd0, stirlingError } from "./log-gamma.js";
import { StatsError } from "./errors.js";
import { logAddExp } from "./log-space.js";

function check(k: number, n: number, p: number): void {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(k) || !(p >= 0 && p <= 1)) {
    throw new StatsError("STATS_BAD_ARGUMENT", `binomial needs integers k, n >= 0 and 0 <= p <= 1 (got k=${k}, n=${n}, p=${p})`);
  }
}

/** ln P(X = k) for X ~ Bin(n, p). */
export function logBinomialPmf(k: number, n: number, p: number): number {
  check(k, n, p);
  if (k < 0 || k > n) return -Infinity;
  const q = 1 - p;
  if (p === 0) return k === 0 ? 0 : -Infinity;
  if (q === 0) return k === n ? 0 : -Infinity;
  if (k === 0) return n * Math.log1p(-p);
  if (k === n) return n * Math.log(p);
  const lc = stirlingError(n) - stirlingError(k) - stirlingError(n - k) - bd0(k, n * p) - bd0(n - k, n * q);
  const lf = Math.log(2 * Math.PI) + Math.log(k) + Math.log1p(-k / n);
  return lc - 0.5 * lf;
}

/** ln P(X >= k) for X ~ Bin(n, p). */
export function logBinomialUpperTail(k: number, n: number, p: number): number {
  check(k, n, p);
  if (k <= 0) return 0;
  if (k > n) return -Infinity;
  if (p === 0) return -Infinity;
  if (p === 1) return 0;
  return logBetaIncomplete(p, k, n - k + 1, 1 - p);
}

/** ln P(X <= k) for X ~ Bin(n, p), as I_{1-p}(n − k, k + 1). */
export function logBinomialLowerTail(k: number, n: number, p: number): number {
  check(k, n, p);
  if (k >= n) return 0;
  if (k < 0 || p === 1) return -Infinity;
  if (p === 0) return 0;
  return logBetaIncomplete(1 - p, n - k, k + 1, p);
}

/**
 * ln of the randomised upper-tail p-value P(X > k) + u·P(X = k): exactly uniform under the null
 * for u ~ U(0, 1) independent of X (the discrete statistic's ties are broken by u).
 */
export function logBinomialRandomizedTail(k: number, n: number, p: number, u: number): number {
  const above = logBinomialUpperTail(k + 1, n, p);
  return u > 0 ? logAddExp(above, Math.log(u) + logBinomialPmf(k, n, p)) : above;
}

/** The central interval [low, high] holding X ~ Bin(n, p) with probability at least `level`. */
export function binomialInterval(n: number, p: number, level: number): { low: number; high: number } {
  const half = Math.log((1 - level) / 2);
  const mean = Math.floor(n * p);
  let low = mean;
  while (low > 0 && logBinomialLowerTail(low - 1, n, p) > half) low--;
  let high = mean;
  while (high < n && logBinomialUpperTail(high + 1, n, p) > half) high++;
  return { low, high };
}
