// Sequential stopping for the watermark tests (issue "fewer queries"): a betting e-process over the
// scored tokens (Shafer & Vovk; Waudby-Smith & Ramdas, JRSS-B 2023) gives a p-value valid at any
// stopping time, so the audit may stop asking as soon as the evidence is decisive.
// The test reports p = 2·min(p_anytime, p_fixed) when it ran to its planned end and 2·p_anytime when
// it stopped early; both halves are valid, so their Bonferroni union is: P(p ≤ a) ≤ a/2 + a/2.
// The fixed-sample p (exact binomial and the like) keeps its power for tests that run to the end.
// Under H0 the scored tokens' scores are i.i.d. with a known law (the detector's rules make the PRF
// inputs distinct): KGW green flags are Bernoulli(γ), SynthID's g-bit counts Binomial(m, 1/2), and a
// Gumbel score s maps to 1 − e^(−s), uniform on (0, 1).
import { BettingEProcess } from "../stats/index.js";
import type { Watermark } from "../watermark/index.js";

export interface StoppingRule {
  /** Natural log of the level at which a test may stop: α over the number of provenance tests. */
  stopLogP: number;
}

export class SequentialEvidence {
  private readonly process: BettingEProcess;
  private readonly map: (score: number) => number;
  /** [queries, log10 p] after each step, for the report's picture. */
  readonly path: [number, number][] = [];

  constructor(watermark: Watermark) {
    const params = watermark.params as { gamma?: number; layers?: number };
    if (watermark.scheme === "kgw") {
      // The detector's threshold is γ rounded to a 32-bit PRF word: that is the exact null mean.
      const gamma = Math.round((params.gamma ?? 0.25) * 4294967296) / 4294967296;
      this.process = new BettingEProcess({ mu: gamma, lower: 0, upper: 1 });
      this.map = (score) => score;
    } else if (watermark.scheme === "synthid") {
      const layers = params.layers ?? 1;
      this.process = new BettingEProcess({ mu: layers / 2, lower: 0, upper: layers });
      this.map = (score) => score;
    } else {
      this.process = new BettingEProcess({ mu: 0.5, lower: 0, upper: 1 });
      this.map = (score) => 1 - Math.exp(-score);
    }
  }

  readonly add = (score: number): void => this.process.add(this.map(score));

  /** ln of the anytime half of the reported p-value (doubled: see the header). */
  get logP(): number {
    return Math.min(0, Math.LN2 + this.process.logP);
  }

  record(queries: number): void {
    this.path.push([queries, this.logP / Math.LN10]);
  }

  decided(rule: StoppingRule | undefined): boolean {
    return rule !== undefined && this.logP <= rule.stopLogP;
  }

  /** The reported ln p: 2·p_anytime when stopped early, else 2·min(p_anytime, p_fixed). */
  combine(fixedLogP: number, stoppedEarly: boolean): number {
    return stoppedEarly ? this.logP : Math.min(0, Math.LN2 + Math.min(this.process.logP, fixedLogP));
  }

  /** At most `points` evenly spaced steps of the path (the report draws it). */
  thinnedPath(points = 120): [number, number][] {
    if (this.path.length <= points) return this.path.map(([q, p]) => [q, round(p)]);
    const step = (this.path.length - 1) / (points - 1);
    return Array.from({ length: points }, (_, i) => this.path[Math.round(i * step)]!).map(([q, p]) => [q, round(p)]);
  }
}

const round = (value: number) => Math.round(value * 1000) / 1000;
