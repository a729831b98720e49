// Shared assertions for the validity tests: p-values from null data must be uniform.
import { expect } from "vitest";
import { binomialInterval, ksTestUniform } from "../../stats/index.js";

export interface CalibrationReport {
  n: number;
  rejections: Record<string, number>;
  ks_p: number;
}

/**
 * Empirical FPR at each α inside the 99% binomial interval around α·n, and a KS test against
 * U(0, 1) not rejected at the 1% level.
 */
export function expectCalibrated(pValues: number[], label: string, alphas = [1e-2, 1e-3]): CalibrationReport {
  const n = pValues.length;
  const rejections: Record<string, number> = {};
  for (const alpha of alphas) {
    const count = pValues.filter((p) => p <= alpha).length;
    const { low, high } = binomialInterval(n, alpha, 0.99);
    rejections[String(alpha)] = count;
    expect(count, `${label}: ${count} of ${n} p-values <= ${alpha}, allowed [${low}, ${high}]`).toBeGreaterThanOrEqual(low);
    expect(count, `${label}: ${count} of ${n} p-values <= ${alpha}, allowed [${low}, ${high}]`).toBeLessThanOrEqual(high);
  }
  const ks = ksTestUniform(pValues);
  expect(ks.p_value, `${label}: KS D = ${ks.statistic.toFixed(4)}, p = ${ks.p_value}`).toBeGreaterThan(0.01);
  return { n, rejections, ks_p: ks.p_value };
}

/** A conservative check for smaller samples: FPR not above the interval at α, KS not rejected. */
export function expectValid(pValues: number[], label: string, alpha = 0.01): void {
  const count = pValues.filter((p) => p <= alpha).length;
  const { high } = binomialInterval(pValues.length, alpha, 0.99);
  expect(count, `${label}: ${count} of ${pValues.length} p-values <= ${alpha}, at most ${high} allowed`).toBeLessThanOrEqual(high);
  const ks = ksTestUniform(pValues);
  expect(ks.p_value, `${label}: KS D = ${ks.statistic.toFixed(4)}, p = ${ks.p_value}`).toBeGreaterThan(0.01);
}
