// Every tail against the committed mpmath vectors (scripts/stats-vectors.py): |ln p − ln p_ref| ≤ 1e-9,
// i.e. relative error of p at most 1e-9, down to log10 p ≈ −1000 and below.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import {
  fisherExactTest,
  logBetaIncomplete,
  logBinomialLowerTail,
  logBinomialPmf,
  logBinomialUpperTail,
  logGamma,
  logGammaLowerTail,
  logGammaUpperTail,
  logNormalUpperTail,
} from "./index.js";

type Row = number[];
const vectors = JSON.parse(readFileSync(new URL("./test-vectors.json", import.meta.url), "utf8")) as Record<string, Row[]>;
const TOLERANCE = 1e-9;

function closeInLog(actual: number, expected: number, label: string): void {
  if (expected === -Infinity) {
    expect(actual, label).toBe(-Infinity);
    return;
  }
  const error = Math.abs(actual - expected);
  // Relative error of p is |Δ ln p|; beyond ln p ≈ −1e6 a double's own spacing (2e-16·|ln p|) dominates.
  if (!(error <= Math.max(TOLERANCE, 2e-16 * Math.abs(expected)))) throw new Error(`${label}: got ${actual}, expected ${expected} (|Δ ln p| = ${error})`);
}

describe("stats tails against mpmath vectors", () => {
  it("ln Γ", () => {
    for (const [x, expected] of vectors.log_gamma) {
      const tolerance = Math.max(TOLERANCE, Math.abs(expected) * 1e-14);
      expect(Math.abs(logGamma(x) - expected), `lgamma(${x})`).toBeLessThanOrEqual(tolerance);
    }
  });

  it("binomial upper and lower tails and mass", () => {
    for (const [k, n, p, upper, lower, pmf] of vectors.binomial) {
      closeInLog(logBinomialUpperTail(k, n, p), upper, `P(Bin(${n},${p}) >= ${k})`);
      closeInLog(logBinomialLowerTail(k, n, p), lower, `P(Bin(${n},${p}) <= ${k})`);
      closeInLog(logBinomialPmf(k, n, p), pmf, `P(Bin(${n},${p}) = ${k})`);
    }
  });

  it("binomial far tails down to log10 p = -1000 and beyond", () => {
    const deepest = Math.min(...vectors.binomial_far.map((row) => row[3])) / Math.LN10;
    expect(deepest).toBeLessThan(-1000);
    for (const [k, n, p, upper] of vectors.binomial_far) closeInLog(logBinomialUpperTail(k, n, p), upper, `far P(Bin(${n},${p}) >= ${k})`);
  });

  it("regularised incomplete beta", () => {
    for (const [x, a, b, expected] of vectors.beta) closeInLog(logBetaIncomplete(x, a, b), expected, `I_${x}(${a}, ${b})`);
  });

  it("regularised incomplete gamma, both tails", () => {
    for (const [a, x, upper, lower] of vectors.gamma) {
      closeInLog(logGammaUpperTail(a, x), upper, `Q(${a}, ${x})`);
      closeInLog(logGammaLowerTail(a, x), lower, `P(${a}, ${x})`);
    }
  });

  it("normal upper tail", () => {
    for (const [z, expected] of vectors.normal) closeInLog(logNormalUpperTail(z), expected, `P(Z >= ${z})`);
  });

  it("Fisher's exact test, three alternatives", () => {
    for (const row of vectors.fisher as unknown as [[[number, number], [number, number]], number, number, number][]) {
      const [table, greater, less, twoSided] = row;
      closeInLog(fisherExactTest(table, "greater").log_p, greater, `fisher greater ${JSON.stringify(table)}`);
      closeInLog(fisherExactTest(table, "less").log_p, less, `fisher less ${JSON.stringify(table)}`);
      closeInLog(fisherExactTest(table, "two-sided").log_p, twoSided, `fisher two-sided ${JSON.stringify(table)}`);
    }
  });
});
