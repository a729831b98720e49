import { describe, expect, it } from "vitest";
import {
  binomialInterval,
  holmBonferroni,
  holmBonferroniLog,
  ksTestUniform,
  logBinomialRandomizedTail,
  logBinomialUpperTail,
  permutationTest,
  twoProportionZTest,
} from "./index.js";
import { createRandom } from "../random/index.js";

describe("randomised binomial p-values", () => {
  it("are uniform under the null although the statistic is discrete", () => {
    const rng = createRandom(11);
    const n = 30;
    const p = 0.25;
    const pValues: number[] = [];
    for (let i = 0; i < 20000; i++) {
      let k = 0;
      for (let j = 0; j < n; j++) if (rng.uniform53() < p) k++;
      pValues.push(Math.exp(logBinomialRandomizedTail(k, n, p, rng.uniform53())));
    }
    expect(ksTestUniform(pValues).p_value).toBeGreaterThan(0.001);
    expect(Math.exp(logBinomialRandomizedTail(10, n, p, 1))).toBeCloseTo(Math.exp(logBinomialUpperTail(10, n, p)), 12);
  });

  it("binomial interval covers the stated probability", () => {
    const { low, high } = binomialInterval(10000, 0.01, 0.99);
    expect(low).toBeGreaterThan(70);
    expect(low).toBeLessThan(80);
    expect(high).toBeGreaterThan(120);
    expect(high).toBeLessThan(130);
  });
});

describe("tests and corrections", () => {
  it("KS rejects a non-uniform sample", () => {
    const rng = createRandom(3);
    const skewed = Array.from({ length: 2000 }, () => rng.uniform53() ** 1.3);
    expect(ksTestUniform(skewed).p_value).toBeLessThan(1e-4);
  });

  it("Holm–Bonferroni adjusts step-down and keeps order", () => {
    const { adjusted, rejected } = holmBonferroni([0.01, 0.04, 0.03, 0.005], 0.05);
    expect(adjusted).toEqual([0.03, 0.06, 0.06, 0.02]);
    expect(rejected).toEqual([true, false, false, true]);
    const logs = holmBonferroniLog([0.01, 0.04, 0.03, 0.005].map(Math.log), 0.05);
    logs.adjusted_log.forEach((value, i) => expect(Math.exp(value)).toBeCloseTo(adjusted[i], 12));
  });

  it("two-proportion z-test", () => {
    const result = twoProportionZTest(60, 100, 40, 100, "greater");
    expect(result.statistic).toBeCloseTo(2.8284271247, 8);
    expect(result.p_value).toBeCloseTo(0.0023388675, 8);
    expect(twoProportionZTest(60, 100, 40, 100).p_value).toBeCloseTo(0.004677735, 8);
  });

  it("permutation test finds a shift and not its absence", () => {
    const rng = createRandom(5);
    const x = Array.from({ length: 40 }, () => rng.normal() + 1);
    const y = Array.from({ length: 40 }, () => rng.normal());
    expect(permutationTest(x, y, { rng, permutations: 999 }).p_value).toBeLessThan(0.01);
    const z = Array.from({ length: 40 }, () => rng.normal());
    expect(permutationTest(z, y, { rng, permutations: 999, alternative: "two-sided" }).p_value).toBeGreaterThan(0.01);
  });
});
