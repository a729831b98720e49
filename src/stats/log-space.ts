// Probabilities kept as natural logarithms, so that p = 1e-1000 stays representable.
export const LN10 = Math.LN10;

/** ln(e^a + e^b) without overflow. */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const high = Math.max(a, b);
  return high + Math.log1p(Math.exp(-Math.abs(a - b)));
}

/** ln(1 - e^x) for x <= 0 (Mächler 2012: pick expm1 or log1p by the size of x). */
export function log1mExp(x: number): number {
  if (x > 0) return NaN;
  if (x === 0) return -Infinity;
  return x > -Math.LN2 ? Math.log(-Math.expm1(x)) : Math.log1p(-Math.exp(x));
}

/** log10 from a natural log. */
export function toLog10(logP: number): number {
  return logP / LN10;
}

/** Sum of values given as logs. */
export function logSumExp(values: ArrayLike<number>): number {
  let high = -Infinity;
  for (let i = 0; i < values.length; i++) high = Math.max(high, values[i]);
  if (high === -Infinity || high === Infinity) return high;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += Math.exp(values[i] - high);
  return high + Math.log(sum);
}
