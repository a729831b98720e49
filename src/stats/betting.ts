// Anytime-valid one-sided tests of a bounded mean by betting (Shafer & Vovk, "Game-Theoretic
// Foundations for Probability and Finance", 2019; Waudby-Smith & Ramdas, "Estimating means of
// bounded random variables by betting", JRSS-B 2023). Observations x_t in [lower, upper], i.i.d.;
// null: E[x] ≤ mu. A gambler starts with wealth 1 and stakes a fraction λ_t ≥ 0, chosen before x_t is
// seen, on x_t exceeding mu: K_t = Π (1 + λ_t (x_t − mu)). Under the null K_t is a nonnegative
// supermartingale, so Ville's inequality P(sup_t K_t ≥ 1/α) ≤ α makes min(1, 1/max_t K_t) a p-value
// valid at any stopping time: the caller may look after every observation and stop when it likes.
// Bets are capped at c/(mu − lower) (c < 1), so a factor never falls below 1 − c.
import { StatsError, requireFinite } from "./errors.js";

/** What every e-process here exposes: the audit only reads these. */
export interface EProcess {
  add(x: number): void;
  readonly n: number;
  /** ln K_n, the current wealth */
  readonly logWealth: number;
  /** max over t ≤ n of ln K_t (0 before any observation) */
  readonly maxLogWealth: number;
  /** natural log of the anytime-valid p-value min(1, 1/max_t K_t) */
  readonly logP: number;
}

export interface BettingOptions {
  /** the null's largest mean */
  mu: number;
  lower: number;
  upper: number;
  /** c in (0, 1): every bet is at most c/(mu − lower). Default 1/2, as in Waudby-Smith & Ramdas. */
  maxBet?: number;
}

/** The bounds, the null mean and the cap on the unit scale y = (x − lower)/(upper − lower). */
interface UnitScale {
  lower: number;
  width: number;
  m: number;
  cap: number;
}

function unitScale(options: BettingOptions): UnitScale {
  const { mu, lower, upper } = options;
  const maxBet = options.maxBet ?? 0.5;
  for (const [name, value] of [["mu", mu], ["lower", lower], ["upper", upper]] as const) requireFinite(name, value);
  if (!(lower < mu && mu < upper)) {
    throw new StatsError("STATS_BAD_ARGUMENT", `betting needs lower < mu < upper (got ${lower}, ${mu}, ${upper}); a null mean at a bound leaves nothing to bet on`);
  }
  if (!(maxBet > 0 && maxBet < 1)) {
    throw new StatsError("STATS_BAD_ARGUMENT", `maxBet must lie in (0, 1), got ${maxBet}; at 1 a single observation at the lower bound would bankrupt the gambler`);
  }
  const width = upper - lower;
  const m = (mu - lower) / width;
  return { lower, width, m, cap: maxBet / m };
}

/** y − m for an observation, after checking that it lies within the bounds. */
function unitExcess(scale: UnitScale, x: number): number {
  const y = (x - scale.lower) / scale.width;
  if (!(y >= 0 && y <= 1)) {
    throw new StatsError("STATS_BAD_ARGUMENT", `observation ${x} lies outside [${scale.lower}, ${scale.lower + scale.width}]; the test is valid only for bounded data`);
  }
  return y - scale.m;
}

/** Wealth bookkeeping in log space, shared by the single-bet and the mixture processes. */
abstract class WealthRecord implements EProcess {
  #n = 0;
  #logWealth = 0;
  #maxLogWealth = 0;

  abstract add(x: number): void;

  protected record(logWealth: number): void {
    this.#n++;
    this.#logWealth = logWealth;
    if (logWealth > this.#maxLogWealth) this.#maxLogWealth = logWealth;
  }

  get n(): number {
    return this.#n;
  }
  get logWealth(): number {
    return this.#logWealth;
  }
  get maxLogWealth(): number {
    return this.#maxLogWealth;
  }
  get logP(): number {
    return -this.#maxLogWealth;
  }
}

export type BettingStrategy = "agrapa" | "ons";

export interface BettingEProcessOptions extends BettingOptions {
  /**
   * How λ_t is chosen from x_1 … x_{t−1}. "agrapa" (default): the approximate growth-rate adaptive
   * plug-in of Waudby-Smith & Ramdas, λ = (μ̂ − mu)/(σ̂² + (μ̂ − mu)²). "ons": online Newton
   * step on −ln(1 + λz) (Cutkosky & Orabona, COLT 2018, as used by Shekhar & Ramdas, 2023).
   */
  strategy?: BettingStrategy;
}

const ONS_STEP = 2 / (2 - Math.log(3));

/** One gambler with a predictable bet: an e-process for E[x] ≤ mu. */
export class BettingEProcess extends WealthRecord {
  readonly #scale: UnitScale;
  readonly #strategy: BettingStrategy;
  #bet = 0; // the next bet on the unit scale, fixed before the next observation is seen
  #sum = 0; // aGRAPA: Σ y_i
  #squares = 0; // aGRAPA: Σ (y_i − μ̂_i)², each against the running mean that includes y_i
  #curvature = 1; // ONS: 1 + Σ g_i²

  constructor(options: BettingEProcessOptions) {
    super();
    this.#scale = unitScale(options);
    this.#strategy = options.strategy ?? "agrapa";
    if (this.#strategy !== "agrapa" && this.#strategy !== "ons") {
      throw new StatsError("STATS_BAD_ARGUMENT", `unknown betting strategy ${String(this.#strategy)}; use "agrapa" or "ons"`);
    }
  }

  /** The bet λ (on the scale of x) that the next observation will be staked at. */
  get bet(): number {
    return this.#bet / this.#scale.width;
  }

  add(x: number): void {
    const z = unitExcess(this.#scale, x);
    const bet = this.#bet;
    this.record(this.logWealth + Math.log1p(bet * z));
    const { m, cap } = this.#scale;
    if (this.#strategy === "ons") {
      const gradient = z / (1 + bet * z);
      this.#curvature += gradient * gradient;
      this.#bet = clip(bet + (ONS_STEP * gradient) / this.#curvature, cap);
    } else {
      // Regularised by one pseudo-observation with variance 1/4 (on the unit scale). The paper puts it
      // at 1/2; at the null mean no bet is placed before any evidence, at no measured cost in power.
      const t = this.n;
      this.#sum += z + m;
      const mean = (m + this.#sum) / (t + 1);
      this.#squares += (z + m - mean) ** 2;
      const variance = (0.25 + this.#squares) / (t + 1);
      const excess = mean - m;
      this.#bet = clip(excess / (variance + excess * excess), cap);
    }
  }
}

function clip(bet: number, cap: number): number {
  return bet > 0 ? Math.min(bet, cap) : 0;
}

export interface BettingMixtureOptions extends BettingOptions {
  /**
   * The fixed bets λ_j (on the scale of x), each in (0, c/(mu − lower)]. Default: 12 bets halving
   * from the cap, which reaches a Kelly bet about 2,000 times below it (mean excesses that small).
   */
  bets?: readonly number[];
}

/**
 * The average of gamblers with fixed bets, K_t = (1/J) Σ_j Π (1 + λ_j (x_i − mu)): an average of
 * test supermartingales is one, and its wealth trails the best bet of the grid by at most ln J.
 * The weighted wealths are kept in linear space against a common log offset, renormalised when
 * their sum drifts; a share that underflows is lost, which can only lower the wealth.
 */
export class BettingMixtureEProcess extends WealthRecord {
  readonly #scale: UnitScale;
  readonly #bets: Float64Array; // unit scale
  readonly #shares: Float64Array;
  #offset = 0;

  constructor(options: BettingMixtureOptions) {
    super();
    const scale = unitScale(options);
    this.#scale = scale;
    const bets = options.bets ?? Array.from({ length: 12 }, (_, j) => (scale.cap * 2 ** -j) / scale.width);
    if (bets.length === 0) throw new StatsError("STATS_BAD_ARGUMENT", "a betting mixture needs at least one bet");
    this.#bets = Float64Array.from(bets, (bet) => {
      const unit = bet * scale.width;
      if (!(unit > 0 && unit <= scale.cap * (1 + 1e-12))) {
        throw new StatsError("STATS_BAD_ARGUMENT", `bet ${bet} lies outside (0, ${scale.cap / scale.width}], the range that keeps every factor ≥ 1 − maxBet`);
      }
      return Math.min(unit, scale.cap);
    });
    this.#shares = new Float64Array(bets.length).fill(1 / bets.length);
  }

  /** The grid's bets on the scale of x. */
  get bets(): number[] {
    return Array.from(this.#bets, (bet) => bet / this.#scale.width);
  }

  add(x: number): void {
    const z = unitExcess(this.#scale, x);
    const shares = this.#shares;
    let sum = 0;
    for (let j = 0; j < shares.length; j++) {
      shares[j]! *= 1 + this.#bets[j]! * z;
      sum += shares[j]!;
    }
    this.record(this.#offset + Math.log(sum));
    if (sum > 1e100 || sum < 1e-100) {
      for (let j = 0; j < shares.length; j++) shares[j]! /= sum;
      this.#offset += Math.log(sum);
    }
  }
}
