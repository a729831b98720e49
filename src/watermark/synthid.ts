// SynthID-style tournament watermark (Dathathri et al., Nature 2024; google-deepmind/synthid-text).
// The g-value of candidate v in layer ℓ is bit ℓ of HalfSipHash-1-3_K(c, v): m ≤ 32 independent fair
// bits from one PRF word. Generation applies the two-leaf tournament layer by layer,
// p ← p · (1 + g_ℓ − E_p[g_ℓ]), which is exactly the distribution of the tournament winner.
// Detection counts g-bits equal to 1 over scored tokens: Bin(m · N, ½) under H0. Contexts that
// repeat are left unwatermarked by the generator and skipped by the detector.
import { logBinomialRandomizedTail, logBinomialUpperTail } from "../stats/index.js";
import { mixWindow, prf2 } from "./half-siphash.js";
import type { LogitsProcessor } from "./logits-processor.js";
import { isRepeatedContext, softmaxInto, type SchemeCore } from "./scheme-core.js";
import type { SynthIdParams } from "./types.js";

function popcount(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

export function createSynthIdCore(params: SynthIdParams, scoreKey: [number, number]): SchemeCore {
  const [k0, k1] = scoreKey;
  const h = params.context;
  const m = params.layers;
  const mask = m === 32 ? 0xffffffff : (1 << m) - 1;
  const core: SchemeCore = {
    name: "synthid",
    context: h,
    candidateKeyed: false,
    skipsRepeatedContexts: true,
    windowContext: (ids, end) => mixWindow(ids, end - h, end),
    pairContext: (window) => window,
    score: (context, token) => popcount(prf2(k0, k1, context, token) & mask),
    logPValue(statistic, scored, u) {
      const trials = scored * m;
      return {
        log: logBinomialRandomizedTail(statistic, trials, 0.5, u),
        conservative: logBinomialUpperTail(statistic, trials, 0.5),
      };
    },
    createProcessor(): LogitsProcessor {
      let probabilities = new Float64Array(0);
      let words = new Uint32Array(0);
      return {
        process(context, logits) {
          if (context.length < h) return;
          const window = mixWindow(context, context.length - h, context.length);
          if (isRepeatedContext(core, context, window)) return;
          const vocab = logits.length;
          if (probabilities.length !== vocab) {
            probabilities = new Float64Array(vocab);
            words = new Uint32Array(vocab);
          }
          softmaxInto(logits, probabilities);
          // E_p[g] of layer 0, then one fused pass per layer: update p and accumulate the next mass.
          let mass = 0;
          for (let v = 0; v < vocab; v++) {
            const word = probabilities[v] > 0 ? prf2(k0, k1, window, v) : 0;
            words[v] = word;
            if (word & 1) mass += probabilities[v];
          }
          for (let layer = 0; layer < m; layer++) {
            const next = layer + 1;
            let nextMass = 0;
            for (let v = 0; v < vocab; v++) {
              const word = words[v];
              const p = probabilities[v] * (((word >>> layer) & 1) + 1 - mass);
              probabilities[v] = p;
              if ((word >>> next) & 1) nextMass += p;
            }
            mass = nextMass;
          }
          for (let v = 0; v < vocab; v++) logits[v] = probabilities[v] > 0 ? Math.log(probabilities[v]) : -Infinity;
        },
      };
    },
  };
  return core;
}
