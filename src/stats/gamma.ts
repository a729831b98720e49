// Regularised incomplete gamma in log space: series for P below x = a + 1, Legendre's continued
// fraction for Q above (Numerical Recipes gser/gcf), with the prefactor x^a e^-x / Γ(a) written via
// Loader's bd0 so that large a does not cancel. Q(a, x) is the upper tail of Gamma(a, 1) at x.
import { bd0, stirlingError } from "./log-gamma.js";
import { StatsError } from "./errors.js";
import { log1mExp } from "./log-space.js";

const TINY = 1e-300;
const EPSILON = 1e-16;
const MAX_ITERATIONS = 1_000_000;

/** ln[x^a e^-x / Γ(a)]. */
function logPrefactor(a: number, x: number): number {
  return -bd0(a, x) + 0.5 * Math.log(a / (2 * Math.PI)) - stirlingError(a);
}

function noConvergence(a: number, x: number): StatsError {
  return new StatsError("STATS_NO_CONVERGENCE", `incomplete gamma did not converge for a=${a}, x=${x}; use smaller arguments`);
}

/** ln of the series sum Σ x^n / (a (a+1) … (a+n)), so that P = prefactor · sum. */
function logSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  let ap = a;
  for (let n = 1; n <= MAX_ITERATIONS; n++) {
    ap += 1;
    term *= x / ap;
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPSILON) return Math.log(sum);
  }
  throw noConvergence(a, x);
}

/** ln of the continued fraction h, so that Q = prefactor · h. */
function logContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i <= MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) return Math.log(h);
  }
  throw noConvergence(a, x);
}

function checkArguments(a: number, x: number): void {
  if (!(a > 0) || !(x >= 0) || !Number.isFinite(a)) {
    throw new StatsError("STATS_BAD_ARGUMENT", `incomplete gamma needs a > 0 and x >= 0 (got a=${a}, x=${x})`);
  }
}

/** ln Q(a, x) = ln P(G >= x) for G ~ Gamma(a, 1). */
export function logGammaUpperTail(a: number, x: number): number {
  checkArguments(a, x);
  if (x === 0) return 0;
  if (x === Infinity) return -Infinity;
  if (x < a + 1) return log1mExp(logPrefactor(a, x) + logSeries(a, x));
  return logPrefactor(a, x) + logContinuedFraction(a, x);
}

/** ln P(a, x) = ln P(G <= x) for G ~ Gamma(a, 1). */
export function logGammaLowerTail(a: number, x: number): number {
  checkArguments(a, x);
  if (x === 0) return -Infinity;
  if (x === Infinity) return 0;
  if (x < a + 1) return logPrefactor(a, x) + logSeries(a, x);
  return log1mExp(logPrefactor(a, x) + logContinuedFraction(a, x));
}
