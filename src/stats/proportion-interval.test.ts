import { describe, expect, it } from "vitest";
import { clopperPearsonInterval, logBinomialLowerTail, logBinomialUpperTail } from "./index.js";

describe("clopperPearsonInterval", () => {
  // Reference values from mpmath (30 digits): the roots of I_p(x, n-x+1) = 0.025 and I_{1-p}(n-x, x+1) = 0.025.
  it.each([
    [5, 20, 0.0865714691, 0.4910458717],
    [0, 10, 0, 0.3084971078],
    [10, 10, 0.6915028922, 1],
    [41, 100, 0.3126199766, 0.5128557962],
  ])("%i of %i", (x, n, low, high) => {
    const interval = clopperPearsonInterval(x, n);
    expect(interval.low).toBeCloseTo(low, 9);
    expect(interval.high).toBeCloseTo(high, 9);
  });

  it("puts exactly (1 - level)/2 in each tail at its ends", () => {
    const { low, high } = clopperPearsonInterval(17, 300, 0.99);
    expect(Math.exp(logBinomialUpperTail(17, 300, low))).toBeCloseTo(0.005, 9);
    expect(Math.exp(logBinomialLowerTail(17, 300, high))).toBeCloseTo(0.005, 9);
  });

  it("rejects impossible counts", () => {
    expect(() => clopperPearsonInterval(3, 2)).toThrow(/0 <= x <= n/);
  });
});
