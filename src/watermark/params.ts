// Defaults and validation of scheme parameters. KGW: γ = 0.25, δ = 2 with left-hash over h = 1 (the
// paper's experimental setting). A short window is what students learn fastest (Gu et al. 2024), so
// it is the default for radioactivity; self-hash over h = 4 (the lm-watermarking README default)
// resists paraphrase and spoofing better. Gumbel h = 4; SynthID h = 4 and m = 30 layers (reference).
import { WatermarkError } from "./errors.js";
import type { GumbelParams, KgwParams, ParamsByScheme, SchemeName, SynthIdParams } from "./types.js";

export const SCHEMES: readonly SchemeName[] = ["kgw", "gumbel", "synthid"];

export const DEFAULT_PARAMS: ParamsByScheme = {
  kgw: { gamma: 0.25, delta: 2, context: 1, hashing: "lefthash" },
  gumbel: { context: 4 },
  synthid: { context: 4, layers: 30 },
};

function bad(message: string): WatermarkError {
  return new WatermarkError("WATERMARK_BAD_PARAMS", message);
}

function checkContext(context: unknown): number {
  if (!Number.isInteger(context) || (context as number) < 1 || (context as number) > 8) {
    throw bad(`context width must be an integer from 1 to 8, got ${String(context)}`);
  }
  return context as number;
}

export function isScheme(value: unknown): value is SchemeName {
  return typeof value === "string" && (SCHEMES as readonly string[]).includes(value);
}

/** Fills defaults and checks ranges; throws WATERMARK_BAD_PARAMS with the offending value. */
export function normalizeParams<S extends SchemeName>(scheme: S, params: Partial<ParamsByScheme[S]> = {}): ParamsByScheme[S] {
  if (!isScheme(scheme)) throw bad(`unknown scheme '${String(scheme)}'; use kgw, gumbel or synthid`);
  const merged = { ...DEFAULT_PARAMS[scheme], ...stripUndefined(params) } as ParamsByScheme[S];
  checkContext(merged.context);
  if (scheme === "kgw") {
    const kgw = merged as KgwParams;
    if (!(kgw.gamma > 0 && kgw.gamma < 1)) throw bad(`gamma must be strictly between 0 and 1, got ${kgw.gamma}`);
    if (!Number.isFinite(kgw.delta) || kgw.delta < 0) throw bad(`delta must be a finite number >= 0, got ${kgw.delta}`);
    if (!["lefthash", "minhash", "selfhash"].includes(kgw.hashing)) {
      throw bad(`hashing must be lefthash, minhash or selfhash, got '${String(kgw.hashing)}'`);
    }
    return { gamma: kgw.gamma, delta: kgw.delta, context: kgw.context, hashing: kgw.hashing } as ParamsByScheme[S];
  }
  if (scheme === "synthid") {
    const synthid = merged as SynthIdParams;
    if (!Number.isInteger(synthid.layers) || synthid.layers < 1 || synthid.layers > 32) {
      throw bad(`layers must be an integer from 1 to 32, got ${String(synthid.layers)}`);
    }
    return { context: synthid.context, layers: synthid.layers } as ParamsByScheme[S];
  }
  return { context: (merged as GumbelParams).context } as ParamsByScheme[S];
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
