// Holm–Bonferroni step-down correction (Holm 1979): controls the family-wise error rate at α
// under any dependence between the tests.
export interface HolmResult {
  /** Adjusted p-values in the input order (monotone, capped at 1). */
  adjusted: number[];
  rejected: boolean[];
}

export function holmBonferroni(pValues: readonly number[], alpha = 0.05): HolmResult {
  const m = pValues.length;
  const order = pValues.map((_, i) => i).sort((i, j) => pValues[i] - pValues[j]);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach((index, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * pValues[index]));
    adjusted[index] = running;
  });
  return { adjusted, rejected: adjusted.map((p) => p <= alpha) };
}

/** The same correction on natural-log p-values, for p-values too small for a double. */
export function holmBonferroniLog(logPValues: readonly number[], alpha = 0.05): { adjusted_log: number[]; rejected: boolean[] } {
  const m = logPValues.length;
  const order = logPValues.map((_, i) => i).sort((i, j) => logPValues[i] - logPValues[j]);
  const adjusted = new Array<number>(m);
  let running = -Infinity;
  order.forEach((index, rank) => {
    running = Math.max(running, Math.min(0, Math.log(m - rank) + logPValues[index]));
    adjusted[index] = running;
  });
  return { adjusted_log: adjusted, rejected: adjusted.map((p) => p <= Math.log(alpha)) };
}
