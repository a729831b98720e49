// Conformal p-values (Vovk, Gammerman & Shafer, "Algorithmic Learning in a Random World", 2005;
// split conformal): with N benign calibration windows exchangeable with a benign test window,
// p = (1 + #{calibration scores ≥ s}) / (N + 1) satisfies P(p ≤ α) ≤ α exactly. Windows that never
// reach a look score −∞ there and still count in N, so every look is judged against all N.
export class ConformalNull {
  /** The finite scores, ascending. */
  readonly sorted: Float64Array;

  /** `scores`: the finite scores; `total`: N, counting windows with no score at this look. */
  constructor(scores: readonly number[], readonly total: number) {
    this.sorted = Float64Array.from(scores).sort();
  }

  /** The smallest p-value this null can give. */
  get floor(): number {
    return 1 / (this.total + 1);
  }

  pValue(score: number): number {
    if (!Number.isFinite(score)) return 1;
    // first index with sorted[i] >= score
    let low = 0;
    let high = this.sorted.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.sorted[middle]! < score) low = middle + 1;
      else high = middle;
    }
    return (1 + this.sorted.length - low) / (this.total + 1);
  }
}
