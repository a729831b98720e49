// KGW green-list watermark (Kirchenbauer et al., ICML 2023), with our own platform-independent PRF:
//   green(context, t)  ⇔  HalfSipHash-1-3_K(context, t) < round(γ · 2^32)
// so the green test is O(1) per token and the effective γ is exactly round(γ · 2^32) / 2^32.
// Context words (the "hashing" variants of lm-watermarking's alternative_prf_schemes):
//   lefthash: an unkeyed fold of the h previous tokens (h = 1: the previous token alone);
//   minhash:  the window token with the smallest keyed hash H_K'(token);
//   selfhash: like minhash over the window plus the candidate itself, so each candidate has its own
//             context and a candidate that is its own minimum keys its own colour.
import { logBinomialRandomizedTail, logBinomialUpperTail } from "../stats/index.js";
import { mixWindow, prf2 } from "./half-siphash.js";
import type { LogitsProcessor } from "./logits-processor.js";
import type { SchemeCore } from "./scheme-core.js";
import { TokenHashTable } from "./token-hash.js";
import type { KgwParams } from "./types.js";

const GREEN_CACHE_ENTRIES = 1024;

export function createKgwCore(params: KgwParams, scoreKey: [number, number], selectKey: [number, number]): SchemeCore {
  const [k0, k1] = scoreKey;
  const threshold = Math.round(params.gamma * 4294967296);
  const gamma = threshold / 4294967296;
  const h = params.context;
  const hashes = new TokenHashTable(selectKey);
  const selfhash = params.hashing === "selfhash";
  const windowContext =
    params.hashing === "lefthash"
      ? (ids: ArrayLike<number>, end: number) => mixWindow(ids, end - h, end)
      : (ids: ArrayLike<number>, end: number) => hashes.argmin(ids, end - h, end);
  const pairContext = selfhash ? (window: number, token: number) => hashes.smaller(token, window) : (window: number) => window;

  const core: SchemeCore = {
    name: "kgw",
    context: h,
    candidateKeyed: selfhash,
    skipsRepeatedContexts: false,
    windowContext,
    pairContext,
    score: (context, token) => (prf2(k0, k1, context, token) < threshold ? 1 : 0),
    logPValue(statistic, scored, u) {
      const conservative = logBinomialUpperTail(statistic, scored, gamma);
      return { log: logBinomialRandomizedTail(statistic, scored, gamma, u), conservative };
    },
    createProcessor(options): LogitsProcessor {
      const delta = options?.delta ?? params.delta;
      return {
        process(context, logits) {
          if (context.length < h) return;
          const bits = greenBits(windowContext(context, context.length), logits.length);
          for (let v = 0; v < logits.length; v++) if ((bits[v >>> 5] >>> (v & 31)) & 1) logits[v] += delta;
        },
      };
    },
  };

  // Green lists are pure functions of the window context, so they are cached as bitsets (shared by
  // every processor of this key): frequent contexts cost V additions instead of V PRF calls.
  const cache = new Map<number, Uint32Array>();
  function greenBits(window: number, vocab: number): Uint32Array {
    const cached = cache.get(window);
    if (cached !== undefined && cached.length === (vocab + 31) >>> 5) return cached;
    const bits = new Uint32Array((vocab + 31) >>> 5);
    if (!selfhash) {
      for (let v = 0; v < vocab; v++) if (prf2(k0, k1, window, v) < threshold) bits[v >>> 5] |= 1 << (v & 31);
    } else {
      const table = hashes.table(vocab);
      const windowHash = hashes.hash(window);
      for (let v = 0; v < vocab; v++) {
        const hv = table[v];
        const own = hv < windowHash || (hv === windowHash && v < window);
        if (prf2(k0, k1, own ? v : window, v) < threshold) bits[v >>> 5] |= 1 << (v & 31);
      }
    }
    if (cache.size >= GREEN_CACHE_ENTRIES) cache.delete(cache.keys().next().value as number);
    cache.set(window, bits);
    return bits;
  }
  return core;
}
