// Calibration of the betting e-processes on null data, for each of the audit's cases at the null's
// boundary (the worst case of the one-sided null): 1,000 runs of up to 5,000 observations, each
// stopped as soon as its anytime p reaches 0.01, as an audit would. Ville's inequality bounds the
// rate of ever reaching α by α; we check it at α = 0.05 and 0.01 against the 99% binomial bound, and
// that the anytime p-values are super-uniform on a grid and in the one-sided DKW band (Massart 1990).
// A negative control shows that the harness catches an invalid procedure: the fixed-sample binomial
// test looked at after every observation rejects far more often than α.
import { describe, expect, it } from "vitest";
import { createRandom, type Random } from "../random/index.js";
import { BettingEProcess, BettingMixtureEProcess, logBinomialUpperTail, type EProcess } from "./index.js";

const RUNS = 1000;
const LENGTH = 5000;
const STOP = Math.log(0.01);
const GRID = [0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9];

/** The largest count of p ≤ a among RUNS super-uniform p-values that is not significant at 1%. */
function upper99(a: number): number {
  let k = Math.ceil(RUNS * a);
  while (logBinomialUpperTail(k + 1, RUNS, a) > Math.log(0.01)) k++;
  return k;
}

const popcount30 = (v: number): number => {
  let k = 0;
  for (let bits = v & 0x3fffffff; bits !== 0; bits &= bits - 1) k++;
  return k;
};

type Case = [string, { mu: number; lower: number; upper: number }, (random: Random) => number];
const cases: Case[] = [
  ["KGW green indicator, Bernoulli(0.25)", { mu: 0.25, lower: 0, upper: 1 }, (r) => (r.uniform53() < 0.25 ? 1 : 0)],
  ["SynthID 30-layer count, Binomial(30, 1/2)", { mu: 15, lower: 0, upper: 30 }, (r) => popcount30(r.uint32())],
  // s ~ Exp(1) by inversion, then u = 1 − e^−s, uniform under the null.
  ["Gumbel score s ~ Exp(1) as 1 − e^−s", { mu: 0.5, lower: 0, upper: 1 }, (r) => -Math.expm1(Math.log1p(-r.uniform53()))],
  ["agreement on discordant pairs, Bernoulli(1/2)", { mu: 0.5, lower: 0, upper: 1 }, (r) => r.uint32() & 1],
];
const strategies: [string, (options: Case[1]) => EProcess][] = [
  ["aGRAPA", (options) => new BettingEProcess(options)],
  ["online Newton step", (options) => new BettingEProcess({ ...options, strategy: "ons" })],
  ["mixture of fixed bets", (options) => new BettingMixtureEProcess(options)],
];

/** Anytime p-values of RUNS null runs, each stopped at p ≤ 0.01 or after LENGTH observations. */
function nullPValues(make: () => EProcess, draw: (random: Random) => number, random: Random): number[] {
  const values: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const process = make();
    while (process.n < LENGTH && process.logP > STOP) process.add(draw(random));
    values.push(Math.exp(process.logP));
  }
  return values;
}

function expectSuperUniform(values: number[]): void {
  for (const a of GRID) {
    const count = values.filter((p) => p <= a).length;
    expect(count, `p ≤ ${a}`).toBeLessThanOrEqual(upper99(a));
  }
  // One-sided DKW: P(sup_a F̂(a) − a > ε) ≤ e^(−2Rε²) for super-uniform p; checked where runs were
  // not stopped early (a ≥ 0.01), at every jump of F̂.
  const sorted = [...values].sort((x, y) => x - y);
  let excess = 0;
  sorted.forEach((p, i) => {
    if (p >= 0.01) excess = Math.max(excess, (i + 1) / RUNS - p);
  });
  expect(excess).toBeLessThanOrEqual(Math.sqrt(Math.log(100) / (2 * RUNS)));
}

describe.each(cases)("%s under the null", (label, options, draw) => {
  it.each(strategies)("%s: rejects at most α of the time, with super-uniform anytime p-values", (name, make) => {
    const values = nullPValues(() => make(options), draw, createRandom(`betting-null ${label} ${name}`));
    for (const alpha of [0.05, 0.01]) {
      const rejections = values.filter((p) => p <= alpha).length;
      expect(rejections, `α = ${alpha}`).toBeLessThanOrEqual(upper99(alpha));
    }
    expectSuperUniform(values);
  });
});

describe("the composite null and a negative control", () => {
  it("a mean strictly below mu (KGW at γ = 0.2 against 0.25) is rejected even less often", () => {
    const options = { mu: 0.25, lower: 0, upper: 1 };
    const draw = (r: Random) => (r.uniform53() < 0.2 ? 1 : 0);
    for (const [name, make] of strategies) {
      const values = nullPValues(() => make(options), draw, createRandom(`betting-interior ${name}`));
      expect(values.filter((p) => p <= 0.05).length, name).toBeLessThanOrEqual(upper99(0.05));
      expectSuperUniform(values);
    }
  });

  it("the fixed-sample binomial test, looked at after every observation, exceeds its α", () => {
    // critical[n]: the least count with P(Bin(n, 1/4) ≥ count) ≤ 0.05 (non-decreasing in n).
    const critical = new Int32Array(LENGTH + 1);
    for (let n = 1, k = 1; n <= LENGTH; n++) {
      while (logBinomialUpperTail(k, n, 0.25) > Math.log(0.05)) k++;
      critical[n] = k;
    }
    const random = createRandom("betting-peeking");
    let rejections = 0;
    for (let run = 0; run < RUNS; run++) {
      let successes = 0;
      for (let n = 1; n <= LENGTH; n++) {
        successes += random.uniform53() < 0.25 ? 1 : 0;
        if (successes >= critical[n]!) {
          rejections++;
          break;
        }
      }
    }
    expect(rejections).toBeGreaterThan(2 * upper99(0.05));
  });
});
