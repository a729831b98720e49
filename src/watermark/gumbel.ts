// Gumbel-max / EXP watermark (Aaronson 2022; Kuditipudi et al. 2023). For context c each token v
// gets u_v = (HalfSipHash-1-3_K(c, v) + ½) / 2^32 and generation picks argmax_v u_v^(1/p_v), an exact
// sample from p (distortion-free up to the 2^-32 grid). Detection sums r = −ln(1 − u) over scored
// tokens: Exp(1) each under H0, so the sum of N is Gamma(N, 1) and p = Q(N, S).
// A context that already occurred earlier in the context is sampled normally, which avoids the
// repetition loops of a deterministic sampler (vLLM PR #56122); the detector skips those positions.
import { logGammaUpperTail } from "../stats/index.js";
import { mixWindow, prf2 } from "./half-siphash.js";
import type { LogitsProcessor } from "./logits-processor.js";
import { isRepeatedContext, softmaxInto, type SchemeCore } from "./scheme-core.js";
import type { GumbelParams } from "./types.js";

const LN_2_POW_32 = 32 * Math.LN2;

export function createGumbelCore(params: GumbelParams, scoreKey: [number, number]): SchemeCore {
  const [k0, k1] = scoreKey;
  const h = params.context;
  const core: SchemeCore = {
    name: "gumbel",
    context: h,
    candidateKeyed: false,
    skipsRepeatedContexts: true,
    windowContext: (ids, end) => mixWindow(ids, end - h, end),
    pairContext: (window) => window,
    // −ln(1 − u) with 1 − u = (2^32 − word − ½) / 2^32, computed without cancellation.
    score: (context, token) => LN_2_POW_32 - Math.log(4294967295.5 - prf2(k0, k1, context, token)),
    logPValue(statistic, scored) {
      const log = scored === 0 ? 0 : logGammaUpperTail(scored, statistic);
      return { log, conservative: log };
    },
    createProcessor(): LogitsProcessor {
      let probabilities = new Float64Array(0);
      return {
        process(context, logits) {
          if (context.length < h) return;
          const window = mixWindow(context, context.length - h, context.length);
          if (isRepeatedContext(core, context, window)) return;
          if (probabilities.length !== logits.length) probabilities = new Float64Array(logits.length);
          softmaxInto(logits, probabilities);
          // Exact pruning: u ≤ 1 − 2^-33 bounds ln(u)/p above by −2^-33/p, so once a best value B
          // is known a token can only win if p > 2^-33 / |B|. Likely tokens go first.
          let best = -1;
          let bestScore = -Infinity;
          const consider = (v: number) => {
            const u = (prf2(k0, k1, window, v) + 0.5) / 4294967296;
            const p = probabilities[v];
            // ln u ≤ u − 1: most candidates lose without a logarithm.
            if ((u - 1) / p < bestScore) return;
            const value = Math.log(u) / p;
            if (value > bestScore || (value === bestScore && v < best)) {
              bestScore = value;
              best = v;
            }
          };
          const likely = 1 / logits.length;
          for (let v = 0; v < logits.length; v++) if (probabilities[v] >= likely) consider(v);
          const floor = bestScore === -Infinity ? 0 : 1.1641532182693481e-10 / -bestScore;
          for (let v = 0; v < logits.length; v++) {
            const p = probabilities[v];
            if (p > 0 && p < likely && p > floor) consider(v);
          }
          if (best < 0) return;
          logits.fill(-Infinity);
          logits[best] = 0;
        },
      };
    },
  };
  return core;
}
