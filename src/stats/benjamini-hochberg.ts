// Benjamini–Hochberg step-up adjustment (Benjamini & Hochberg 1995): rejecting every adjusted
// p-value ≤ q controls the false discovery rate at q for independent or positively dependent tests.
// An adjusted value is never below its raw p-value, so no test is rejected with p > q.
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((_, i) => i).sort((i, j) => pValues[j]! - pValues[i]!);
  const adjusted = new Array<number>(m);
  let running = 1;
  order.forEach((index, position) => {
    const rank = m - position; // rank of this p-value from the smallest (1-based)
    running = Math.min(running, (m * pValues[index]!) / rank);
    adjusted[index] = Math.min(1, running);
  });
  return adjusted;
}
