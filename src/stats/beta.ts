// Regularised incomplete beta I_x(a, b) in log space: the continued fraction of Numerical Recipes
// (betacf, modified Lentz) times a prefactor written with Loader's bd0 so that it stays accurate for
// a, b up to millions and for results down to e^-2300 and beyond.
import { bd0, stirlingError } from "./log-gamma.js";
import { StatsError } from "./errors.js";
import { log1mExp } from "./log-space.js";

const TINY = 1e-300;
const EPSILON = 1e-16;
const MAX_ITERATIONS = 1_000_000;

/** ln[x^a y^b / B(a, b)] with y = 1 − x. */
function logPrefactor(x: number, y: number, a: number, b: number): number {
  const n = a + b;
  return -bd0(a, n * x) - bd0(b, n * y) + 0.5 * Math.log((a * b) / (2 * Math.PI * n)) -
    (stirlingError(a) + stirlingError(b) - stirlingError(n));
}

/** The continued fraction for I_x(a, b), converging fast when x < (a + 1) / (a + b + 2). */
function continuedFraction(x: number, a: number, b: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) return h;
  }
  throw new StatsError("STATS_NO_CONVERGENCE", `incomplete beta did not converge for x=${x}, a=${a}, b=${b}; use smaller arguments`);
}

/**
 * ln I_x(a, b), the regularised incomplete beta (the lower tail of Beta(a, b) at x).
 * Pass y = 1 − x when it is known more precisely than 1 − x.
 */
export function logBetaIncomplete(x: number, a: number, b: number, y = 1 - x): number {
  if (!(a > 0 && b > 0) || !(x >= 0 && x <= 1)) {
    throw new StatsError("STATS_BAD_ARGUMENT", `incomplete beta needs a, b > 0 and 0 <= x <= 1 (got x=${x}, a=${a}, b=${b})`);
  }
  if (x === 0) return -Infinity;
  if (y === 0) return 0;
  if (x < (a + 1) / (a + b + 2)) {
    return logPrefactor(x, y, a, b) + Math.log(continuedFraction(x, a, b)) - Math.log(a);
  }
  return log1mExp(logPrefactor(y, x, b, a) + Math.log(continuedFraction(y, b, a)) - Math.log(b));
}

/** ln(1 − I_x(a, b)), the upper tail of Beta(a, b) at x. */
export function logBetaIncompleteUpper(x: number, a: number, b: number, y = 1 - x): number {
  return logBetaIncomplete(y, b, a, x);
}
