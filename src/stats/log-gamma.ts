// ln Γ, the Stirling remainder δ(x) and Loader's deviance bd0, the building blocks that keep tails
// accurate in log space: large ln Γ terms are never subtracted from each other
// (C. Loader, "Fast and accurate computation of binomial probabilities", 2000; R's stirlerr/bd0).
const HALF_LN_2PI = 0.5 * Math.log(2 * Math.PI);

/** δ(x) = ln Γ(x) − [(x − ½) ln x − x + ½ ln 2π], Stirling's series for x ≥ 10. */
function stirlingSeries(x: number): number {
  const r = 1 / (x * x);
  // Coefficients B_{2k} / (2k (2k − 1)).
  return (
    (1 / 12 -
      r * (1 / 360 - r * (1 / 1260 - r * (1 / 1680 - r * (1 / 1188 - r * (691 / 360360 - r * (1 / 156))))))) /
    x
  );
}

/** ln Γ(x) for x > 0: shift up to x ≥ 10, then Stirling's series (absolute error ~1e-15 near 0). */
export function logGamma(x: number): number {
  if (!(x > 0)) return x === 0 ? Infinity : NaN;
  if (x >= 10) return (x - 0.5) * Math.log(x) - x + HALF_LN_2PI + stirlingSeries(x);
  let product = 1;
  let y = x;
  while (y < 10) {
    product *= y;
    y += 1;
  }
  return (y - 0.5) * Math.log(y) - y + HALF_LN_2PI + stirlingSeries(y) - Math.log(product);
}

/** Stirling remainder δ(x) = ln Γ(x) − (x − ½) ln x + x − ½ ln 2π, for x > 0. */
export function stirlingError(x: number): number {
  if (x >= 10) return stirlingSeries(x);
  return logGamma(x) - (x - 0.5) * Math.log(x) + x - HALF_LN_2PI;
}

/** bd0(x, m) = x ln(x/m) + m − x ≥ 0, computed without cancellation when x ≈ m. */
export function bd0(x: number, m: number): number {
  if (x === 0) return m;
  if (Math.abs(x - m) < 0.1 * (x + m)) {
    const v = (x - m) / (x + m);
    let sum = (x - m) * v;
    let term = 2 * x * v;
    const v2 = v * v;
    for (let j = 1; j < 1000; j++) {
      term *= v2;
      const next = sum + term / (2 * j + 1);
      if (next === sum) return next;
      sum = next;
    }
    return sum;
  }
  return x * Math.log(x / m) + m - x;
}

/** ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b). */
export function logBeta(a: number, b: number): number {
  const n = a + b;
  return 0.5 * Math.log((2 * Math.PI) / n) + (a - 0.5) * Math.log(a / n) + (b - 0.5) * Math.log(b / n) +
    stirlingError(a) + stirlingError(b) - stirlingError(n);
}
