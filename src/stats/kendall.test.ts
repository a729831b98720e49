// Kendall's identity test: the Mahonian law against exact-integer vectors (kendall-vectors.json) and
// brute-force enumeration; the randomised p-value's uniformity and the conservative one's level.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { createRandom } from "../random/index.js";
import { countInversions, kendallIdentityTest, ksTestUniform, logBinomialUpperTail, mahonianTable } from "./index.js";

const vectors = JSON.parse(readFileSync(new URL("./kendall-vectors.json", import.meta.url), "utf8")) as { mahonian: number[][] };

/** Relative error of p at most 1e-9 (|Δ ln p| <= 1e-9), down to p = 1/512! ≈ e^−2686. */
function closeInLog(actual: number, expected: number, label: string): void {
  const error = Math.abs(actual - expected);
  if (!(error <= 1e-9)) throw new Error(`${label}: got ${actual}, expected ${expected}`);
}

function* permutations(n: number): Generator<number[]> {
  const items = Array.from({ length: n }, (_, i) => i);
  function* walk(k: number): Generator<number[]> {
    if (k === n) return yield [...items];
    for (let i = k; i < n; i++) {
      [items[k], items[i]] = [items[i], items[k]];
      yield* walk(k + 1);
      [items[k], items[i]] = [items[i], items[k]];
    }
  }
  yield* walk(0);
}

describe("Mahonian law", () => {
  it("matches exact integer counts for n up to 512, tails down to 1/512!", () => {
    let checked = 0;
    for (const [n, k, logPmf, logCdf] of vectors.mahonian) {
      const table = mahonianTable(n);
      closeInLog(table.logPmf(k), logPmf, `ln P(I = ${k}), n = ${n}`);
      closeInLog(table.logCdf(k), logCdf, `ln P(I <= ${k}), n = ${n}`);
      checked++;
    }
    expect(checked).toBeGreaterThan(150);
  });

  it("matches brute-force enumeration for n <= 7", () => {
    for (let n = 1; n <= 7; n++) {
      const max = (n * (n - 1)) / 2;
      const counts = new Array<number>(max + 1).fill(0);
      let total = 0;
      for (const p of permutations(n)) {
        let inversions = 0;
        for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (p[i] > p[j]) inversions++;
        expect(countInversions(p)).toBe(inversions);
        counts[inversions]++;
        total++;
      }
      const table = mahonianTable(n);
      let cumulative = 0;
      for (let k = 0; k <= max; k++) {
        cumulative += counts[k];
        expect(Math.abs(table.logPmf(k) - Math.log(counts[k] / total)), `pmf n=${n} k=${k}`).toBeLessThan(1e-12);
        expect(Math.abs(table.logCdf(k) - Math.log(cumulative / total)), `cdf n=${n} k=${k}`).toBeLessThan(1e-12);
      }
      expect(table.logPmf(max + 1)).toBe(-Infinity);
    }
  });

  it("rejects what is not a permutation", () => {
    expect(() => countInversions([0, 0, 1])).toThrow(/not a permutation/);
    expect(() => countInversions([0, 3, 1])).toThrow(/not a permutation/);
    expect(() => kendallIdentityTest([1, 0], 2)).toThrow(/uniform draw/);
  });
});

describe("Kendall's identity test", () => {
  it("the identity gives p = 1/n!, its reverse p = 1, tau ±1", () => {
    const n = 100;
    const identity = Array.from({ length: n }, (_, i) => i);
    const forward = kendallIdentityTest(identity, 0.5);
    expect(forward.inversions).toBe(0);
    expect(forward.tau).toBe(1);
    let logFactorial = 0;
    for (let i = 2; i <= n; i++) logFactorial += Math.log(i);
    closeInLog(forward.log_p, -logFactorial, "identity");
    closeInLog(forward.log_p_randomized, Math.log(0.5) - logFactorial, "identity, randomised");
    const backward = kendallIdentityTest([...identity].reverse(), 0.5);
    expect(backward.tau).toBe(-1);
    expect(backward.log_p).toBe(0);
  });

  it("on uniform permutations the randomised p is uniform and the conservative p keeps its level", () => {
    const random = createRandom(20250212);
    const replications = 400;
    const n = 40;
    const randomized: number[] = [];
    const rejections = { "0.05": 0, "0.01": 0 };
    for (let r = 0; r < replications; r++) {
      const permutation = random.shuffle(Array.from({ length: n }, (_, i) => i));
      const result = kendallIdentityTest(permutation, random.uniform53());
      expect(result.log_p_randomized).toBeLessThanOrEqual(result.log_p);
      randomized.push(Math.exp(result.log_p_randomized));
      if (result.log_p <= Math.log(0.05)) rejections["0.05"]++;
      if (result.log_p <= Math.log(0.01)) rejections["0.01"]++;
    }
    expect(ksTestUniform(randomized).p_value).toBeGreaterThan(0.01);
    // The count of rejections is at most Bin(R, α); reject the claim only below the 99% bound.
    for (const [alpha, count] of Object.entries(rejections)) {
      expect(Math.exp(logBinomialUpperTail(count, replications, Number(alpha))), `FPR at ${alpha}`).toBeGreaterThan(0.01);
    }
  });
});
