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

const CHUNK = 8;

/**
 * The m-layer two-leaf tournament, p_v ← p_v · Π_ℓ (1 + g_ℓ(v) − E_p[g_ℓ]), in chunks of 8 layers:
 * within a chunk a token's factor depends only on its 8 g-bits, so each chunk needs one histogram of
 * the current p over 256 bit patterns and one update pass, instead of one pass per layer. Exact.
 */
function tournament(probabilities: Float64Array, words: Uint32Array, vocab: number, m = 0): void {
  const histogram = new Float64Array(1 << CHUNK);
  const factor = new Float64Array(1 << CHUNK);
  for (let shift = 0; shift < m; shift += CHUNK) {
    const width = Math.min(CHUNK, m - shift);
    const patterns = 1 << width;
    const mask = patterns - 1;
    histogram.fill(0);
    for (let v = 0; v < vocab; v++) histogram[(words[v] >>> shift) & mask] += probabilities[v];
    factor.fill(1);
    for (let layer = 0; layer < width; layer++) {
      let mass = 0;
      for (let b = 0; b < patterns; b++) if ((b >>> layer) & 1) mass += histogram[b] * factor[b];
      for (let b = 0; b < patterns; b++) factor[b] *= ((b >>> layer) & 1) + 1 - mass;
    }
    for (let v = 0; v < vocab; v++) probabilities[v] *= factor[(words[v] >>> shift) & mask];
  }
}

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
          for (let v = 0; v < vocab; v++) words[v] = probabilities[v] > 0 ? prf2(k0, k1, window, v) : 0;
          tournament(probabilities, words, vocab, m);
          for (let v = 0; v < vocab; v++) logits[v] = probabilities[v] > 0 ? Math.log(probabilities[v]) : -Infinity;
        },
      };
    },
  };
  return core;
}
