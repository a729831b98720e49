// One-sample Kolmogorov–Smirnov test against U(0, 1): the check that p-values are uniform on null data.
// The p-value uses the asymptotic Kolmogorov distribution with Stephens' small-sample correction
// (Numerical Recipes, probks).
export interface KsResult {
  statistic: number;
  p_value: number;
}

/** Q_KS(λ) = 2 Σ (−1)^(k−1) exp(−2 k² λ²). */
export function kolmogorovTail(lambda: number): number {
  if (lambda < 1e-3) return 1;
  let sum = 0;
  let sign = 1;
  for (let k = 1; k <= 200; k++) {
    const term = sign * Math.exp(-2 * k * k * lambda * lambda);
    sum += term;
    if (Math.abs(term) < 1e-16 * Math.abs(sum)) break;
    sign = -sign;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

export function ksTestUniform(values: readonly number[]): KsResult {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const x = Math.min(1, Math.max(0, sorted[i]));
    d = Math.max(d, (i + 1) / n - x, x - i / n);
  }
  const root = Math.sqrt(n);
  return { statistic: d, p_value: kolmogorovTail((root + 0.12 + 0.11 / root) * d) };
}
