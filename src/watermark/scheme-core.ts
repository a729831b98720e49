// What every scheme provides to the shared detector and to generation. A scheme keys its PRF with a
// context word computed from the h tokens before a position, and scores the token at the position.
import type { LogitsProcessor } from "./logits-processor.js";
import type { SchemeName } from "./types.js";

export interface SchemeCore {
  readonly name: SchemeName;
  /** Context width h. */
  readonly context: number;
  /** Scores depend on the candidate's own hash (KGW self-hash): see pairContext. */
  readonly candidateKeyed: boolean;
  /** Generation leaves a context unwatermarked when it repeats (Gumbel, SynthID). */
  readonly skipsRepeatedContexts: boolean;
  /** The context word of the window ids[end − h .. end − 1] (end >= h). */
  windowContext(ids: ArrayLike<number>, end: number): number;
  /** The PRF's context input for `token` after a window with context word `windowContext`. */
  pairContext(windowContext: number, token: number): number;
  /** Per-token score: 1/0 green (KGW), −ln(1 − u) (Gumbel), number of g-bits set (SynthID). */
  score(context: number, token: number): number;
  /** ln p and ln p_conservative for the total statistic over `scored` tokens; u breaks ties. */
  logPValue(statistic: number, scored: number, u: number): { log: number; conservative: number };
  /** A fresh processor for generation. */
  createProcessor(options?: { delta?: number }): LogitsProcessor;
}

/** Softmax of logits into a float64 buffer (−Infinity gives 0). */
export function softmaxInto(logits: Float32Array, out: Float64Array): void {
  let max = -Infinity;
  for (let v = 0; v < logits.length; v++) if (logits[v] > max) max = logits[v];
  let sum = 0;
  for (let v = 0; v < logits.length; v++) {
    const e = logits[v] === -Infinity ? 0 : Math.exp(logits[v] - max);
    out[v] = e;
    sum += e;
  }
  for (let v = 0; v < logits.length; v++) out[v] /= sum;
}

/** True when the context word of the current window occurred at an earlier position of `context`. */
export function isRepeatedContext(core: SchemeCore, context: ArrayLike<number>, current: number): boolean {
  for (let end = core.context; end < context.length; end++) {
    if (core.windowContext(context, end) === current) return true;
  }
  return false;
}

