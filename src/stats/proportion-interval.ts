// The Clopper–Pearson ("exact") confidence interval for a binomial proportion: the set of p whose
// two one-sided tests both keep x at level (1 − level)/2. Never narrower than the truth demands, so
// the coverage is at least `level` for every p. Found by bisection on the log-space tails.
import { StatsError } from "./errors.js";
import { logBinomialLowerTail, logBinomialUpperTail } from "./binomial.js";

function bisect(predicate: (p: number) => boolean): number {
  // predicate is false at 0 and true at 1 (monotone in p); 60 halvings reach double precision.
  let low = 0;
  let high = 1;
  for (let i = 0; i < 60; i++) {
    const middle = (low + high) / 2;
    if (predicate(middle)) high = middle;
    else low = middle;
  }
  return (low + high) / 2;
}

export function clopperPearsonInterval(x: number, n: number, level = 0.95): { low: number; high: number } {
  if (!Number.isInteger(x) || !Number.isInteger(n) || n <= 0 || x < 0 || x > n || !(level > 0 && level < 1)) {
    throw new StatsError("STATS_BAD_ARGUMENT", `a proportion interval needs integers 0 <= x <= n, n > 0 and 0 < level < 1 (got ${x}/${n}, level ${level})`);
  }
  const tail = Math.log((1 - level) / 2);
  // low: the p at which P(X >= x) rises to the tail; high: the p at which P(X <= x) falls to it.
  const low = x === 0 ? 0 : bisect((p) => logBinomialUpperTail(x, n, p) >= tail);
  const high = x === n ? 1 : bisect((p) => logBinomialLowerTail(x, n, p) <= tail);
  return { low, high };
}
