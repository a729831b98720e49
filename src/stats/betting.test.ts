// The betting e-processes: wealth against an independent reference, predictable bets within their
// cap, invariance to the scale of x, the mixture against its direct log-space sum, power on each of
// the audit's cases (KGW, SynthID, Gumbel, paired agreement) and the errors. Null calibration is in
// betting-calibration.test.ts.
import { describe, expect, it } from "vitest";
import { createRandom, type Random } from "../random/index.js";
import { BettingEProcess, BettingMixtureEProcess, StatsError, logSumExp, type EProcess } from "./index.js";

// Computed in Python (mpmath, 40 digits) from the formulas on the scale of x, for x in [0, 10] and
// mu = 3: ln K_t after each observation.
const xs = [7.5, 2.0, 9.0, 3.0, 6.25, 0.0, 10.0, 4.5, 8.0, 1.0, 5.5, 7.0, 0.5, 9.5, 6.0, 3.5];
const reference = {
  agrapa: [0.0, -0.11875551458160917, 0.31346566583656976, 0.31346566583656976, 0.6807974703270799, 0.028942817452698406, 0.6149727737620906, 0.790172384070528, 1.3112811663692512, 0.9617369179798945, 1.2483077490426464, 1.7001583479896516, 1.2202883020061204, 1.8507049536031246, 2.200141789931208, 2.2709839098707763],
  ons: [0.0, -0.08668276470877598, 0.23441511326749423, 0.23441511326749423, 0.591150637931614, -0.10142930315213351, 0.4010989493594162, 0.5921945049325975, 1.1633503669096223, 0.7578852588014581, 1.0507924697755657, 1.5327657790224103, 0.9937692782897233, 1.5991687495161488, 1.9880680145686944, 2.068110722242231],
  mixture: [0.11775590855233578, 0.08002079814159675, 0.26455081366901123, 0.26455081366901123, 0.4094705600665075, 0.21464363907951675, 0.4747046782626799, 0.5623318932389986, 0.8522460276188792, 0.6657041190464337, 0.8330195306045047, 1.1201402891319316, 0.8383014681034259, 1.2651678762855754, 1.5342008998916967, 1.5895134936468511],
};

const bounds = { mu: 3, lower: 0, upper: 10 };
const processes: Record<keyof typeof reference, () => EProcess> = {
  agrapa: () => new BettingEProcess(bounds),
  ons: () => new BettingEProcess({ ...bounds, strategy: "ons" }),
  mixture: () => new BettingMixtureEProcess(bounds),
};

describe("betting e-processes", () => {
  it.each(Object.keys(reference) as (keyof typeof reference)[])("%s matches the reference wealth and keeps its running maximum", (name) => {
    const process = processes[name]();
    let max = 0;
    xs.forEach((x, i) => {
      process.add(x);
      expect(process.n).toBe(i + 1);
      expect(process.logWealth).toBeCloseTo(reference[name][i]!, 12);
      max = Math.max(max, process.logWealth);
      expect(process.maxLogWealth).toBe(max);
      expect(process.logP).toBe(-max);
    });
  });

  it("starts at wealth 1 and p = 1", () => {
    const process = new BettingEProcess(bounds);
    expect([process.n, process.logWealth, process.maxLogWealth, process.logP]).toEqual([0, 0, 0, -0]);
  });

  it.each(["agrapa", "ons"] as const)("%s stakes a bet fixed before the observation, within [0, c/(mu − lower)]", (strategy) => {
    const random = createRandom(`predictable-${strategy}`);
    const process = new BettingEProcess({ mu: 0.6, lower: 0, upper: 1, maxBet: 0.75, strategy });
    let capped = 0;
    for (let i = 0; i < 2000; i++) {
      const bet = process.bet;
      expect(bet).toBeGreaterThanOrEqual(0);
      expect(bet).toBeLessThanOrEqual(0.75 / 0.6);
      if (bet === 0.75 / 0.6) capped++;
      const before = process.logWealth;
      const x = i < 20 ? 1 : random.uniform53() < 0.6 ? 1 : 0;
      process.add(x);
      expect(process.logWealth - before).toBeCloseTo(Math.log1p(bet * (x - 0.6)), 12);
    }
    expect(capped).toBeGreaterThan(0); // twenty straight successes push the bet to its cap
  });

  it("loses no more than ln(1 − c) per observation, and aGRAPA stops betting on data below the null", () => {
    const ons = new BettingEProcess({ ...bounds, strategy: "ons" });
    const agrapa = new BettingEProcess(bounds);
    ons.add(10);
    agrapa.add(10);
    for (let i = 0; i < 50; i++) {
      ons.add(0);
      agrapa.add(0);
    }
    expect(ons.logWealth).toBeGreaterThanOrEqual(51 * Math.log(0.5));
    expect(agrapa.bet).toBe(0);
    const frozen = agrapa.logWealth;
    agrapa.add(0);
    expect(agrapa.logWealth).toBe(frozen);
  });

  it.each(["agrapa", "ons", "mixture"] as const)("%s depends on x only through (x − lower)/(upper − lower)", (name) => {
    const random = createRandom(`scale-${name}`);
    const make = (lower: number, upper: number): EProcess => {
      const options = { mu: lower + 0.45 * (upper - lower), lower, upper };
      return name === "mixture" ? new BettingMixtureEProcess(options) : new BettingEProcess({ ...options, strategy: name });
    };
    const unit = make(0, 1);
    const counts = make(0, 30);
    const shifted = make(-4, 2);
    for (let i = 0; i < 500; i++) {
      const bits = popcount(random.uint32() & 0x3fffffff) + (random.uniform53() < 0.1 ? 3 : 0);
      const k = Math.min(30, bits);
      unit.add(k / 30);
      counts.add(k);
      shifted.add(-4 + (6 * k) / 30);
    }
    expect(unit.logWealth).toBeGreaterThan(5);
    expect(counts.logWealth).toBeCloseTo(unit.logWealth, 9);
    expect(shifted.logWealth).toBeCloseTo(unit.logWealth, 9);
  });
});

describe("BettingMixtureEProcess", () => {
  it("equals the log of the average of the fixed bets' wealths, past many renormalisations", () => {
    const bets = [0.05, 0.3, 1.1, 2];
    const mixture = new BettingMixtureEProcess({ mu: 0.25, lower: 0, upper: 1, bets });
    const logs = bets.map(() => 0);
    const random = createRandom("mixture-direct");
    for (let i = 0; i < 6000; i++) {
      const x = random.uniform53() < 0.6 ? 1 : 0;
      mixture.add(x);
      bets.forEach((bet, j) => (logs[j]! += Math.log1p(bet * (x - 0.25))));
    }
    const direct = logSumExp(logs) - Math.log(bets.length);
    expect(direct).toBeGreaterThan(1000); // far past the linear-space range: the offset carried it
    expect(mixture.logWealth).toBeCloseTo(direct, 7);
    expect(mixture.bets).toEqual(bets);
  });

  it("has a default grid of 12 bets halving from the cap", () => {
    const bets = new BettingMixtureEProcess({ mu: 15, lower: 0, upper: 30 }).bets;
    expect(bets).toHaveLength(12);
    expect(bets[0]).toBeCloseTo(0.5 / 15, 15);
    expect(bets[11]).toBeCloseTo(0.5 / 15 / 2048, 15);
  });
});

// Each audit case under a moderate alternative rejects at p ≤ 1e-6, and its null (same stream) stays
// above 1e-3 over as many observations.
const cases: [string, { mu: number; lower: number; upper: number }, (r: Random) => number, (r: Random) => number, number][] = [
  ["KGW green indicator, γ 0.25 vs 0.35", { mu: 0.25, lower: 0, upper: 1 }, (r) => (r.uniform53() < 0.25 ? 1 : 0), (r) => (r.uniform53() < 0.35 ? 1 : 0), 1500],
  ["SynthID 30-layer count, 1/2 vs 0.52", { mu: 15, lower: 0, upper: 30 }, (r) => popcount(r.uint32() & 0x3fffffff), (r) => binomial(r, 30, 0.52), 3000],
  ["Gumbel score mapped to 1 − e^−s, Exp(1) vs Exp(1)/1.15", { mu: 0.5, lower: 0, upper: 1 }, (r) => -Math.expm1(Math.log1p(-r.uniform53())), (r) => -Math.expm1(1.15 * Math.log1p(-r.uniform53())), 3000],
  ["agreement on discordant pairs, 1/2 vs 0.6", { mu: 0.5, lower: 0, upper: 1 }, (r) => r.uint32() & 1, (r) => (r.uniform53() < 0.6 ? 1 : 0), 2500],
];

describe.each(cases)("%s", (_, options, nullDraw, alternativeDraw, budget) => {
  it.each(["agrapa", "ons", "mixture"] as const)("%s: rejects the alternative, not the null", (name) => {
    const make = (): EProcess => (name === "mixture" ? new BettingMixtureEProcess(options) : new BettingEProcess({ ...options, strategy: name }));
    const alternative = make();
    const random = createRandom(`power-${name}-${options.mu}`);
    while (alternative.logP > Math.log(1e-6) && alternative.n < budget) alternative.add(alternativeDraw(random));
    expect(alternative.logP).toBeLessThanOrEqual(Math.log(1e-6));
    const nul = make();
    for (let i = 0; i < budget; i++) nul.add(nullDraw(random));
    expect(nul.logP).toBeGreaterThan(Math.log(1e-3));
  });
});

describe("errors", () => {
  it.each([
    [{ mu: 0, lower: 0, upper: 1 }, /lower < mu < upper/],
    [{ mu: 1, lower: 0, upper: 1 }, /lower < mu < upper/],
    [{ mu: Number.NaN, lower: 0, upper: 1 }, /finite/],
    [{ mu: 0.5, lower: 0, upper: 1, maxBet: 1 }, /maxBet/],
    [{ mu: 0.5, lower: 0, upper: 1, strategy: "kelly" as "ons" }, /strategy/],
  ])("rejects options %o", (options, message) => {
    expect(() => new BettingEProcess(options)).toThrow(message);
  });

  it("rejects observations outside the bounds and bets outside the cap", () => {
    const process = new BettingEProcess({ mu: 0.5, lower: 0, upper: 1 });
    for (const x of [-0.01, 1.01, Number.NaN]) expect(() => process.add(x)).toThrow(StatsError);
    expect(process.n).toBe(0);
    expect(() => new BettingMixtureEProcess({ mu: 0.5, lower: 0, upper: 1, bets: [1.5] })).toThrow(/outside/);
    expect(() => new BettingMixtureEProcess({ mu: 0.5, lower: 0, upper: 1, bets: [] })).toThrow(/at least one/);
  });
});

function popcount(v: number): number {
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

function binomial(random: Random, m: number, p: number): number {
  let k = 0;
  for (let i = 0; i < m; i++) if (random.uniform53() < p) k++;
  return k;
}
