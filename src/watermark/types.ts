// Shared types of the watermark room: scheme parameters, detection options and results.
export type SchemeName = "kgw" | "gumbel" | "synthid";
export type KgwHashing = "lefthash" | "minhash" | "selfhash";

/** KGW green list (Kirchenbauer et al. 2023): a γ-fraction of the vocabulary gets +δ. */
export interface KgwParams {
  gamma: number;
  delta: number;
  /** Context width h (1–8): how many earlier tokens key the green list. */
  context: number;
  hashing: KgwHashing;
}

/** Gumbel-max / EXP (Aaronson): distortion-free sampling keyed by the context. */
export interface GumbelParams {
  context: number;
}

/** SynthID-style tournament sampling (Dathathri et al. 2024), two leaves per layer. */
export interface SynthIdParams {
  context: number;
  /** Tournament layers m (1–32); each takes one bit of the PRF word as its g-value. */
  layers: number;
}

export type SchemeParams = KgwParams | GumbelParams | SynthIdParams;

export interface ParamsByScheme {
  kgw: KgwParams;
  gumbel: GumbelParams;
  synthid: SynthIdParams;
}

/** The JSON shape of `pedigree watermark detect --json` (DESIGN.md), plus the conservative p. */
export interface DetectionResult {
  scheme: SchemeName;
  /** Tokens seen. */
  tokens: number;
  /** Tokens scored: new (context, token) n-grams that passed every filter. */
  scored: number;
  /** KGW: green tokens; Gumbel: Σ −ln(1 − u); SynthID: g-bits equal to 1. */
  statistic: number;
  /** Exact p-value (randomised between ties for discrete statistics, so uniform under H0). */
  p_value: number;
  log10_p: number;
  /** P(statistic ≥ observed) without tie-breaking: never below p_value, valid but conservative. */
  p_value_conservative: number;
  log10_p_conservative: number;
}

export interface TestOptions {
  /**
   * Token sequences (prompts, quoted sources) whose windows must not be scored: a text that contains
   * or repeats its prompt, or a suspect that copies a watermarked prompt, cannot inflate the score.
   */
  prompts?: ArrayLike<number>[];
  /** Filter φ: score only windows whose context is in this set (see `contextSet`). */
  onlyContexts?: ReadonlySet<number>;
  /**
   * Score only the first occurrence of each context within a sequence. Default: true for Gumbel and
   * SynthID (their generators leave repeated contexts unwatermarked), false for KGW.
   */
  firstContextOnly?: boolean;
  /** Break ties of discrete statistics with a keyed uniform so the p-value is exact. Default true. */
  randomize?: boolean;
  /** Called with each scored token's score, in order (for sequential tests). */
  onScore?: (score: number) => void;
}
