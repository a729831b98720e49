// One statistical test over any number of token sequences. Every position i >= h is a candidate;
// it is scored only when
//   - its window's context was not already seen earlier in the same sequence (firstContextOnly),
//   - its window's context does not occur in any prompt (so copied prompts add no evidence),
//   - its window's context is in the filter φ, when one is given,
//   - its (context, token) pair is new to the tape shared by everything this test scores.
// Each rule looks only at the text and the prompts, never at a score, so under H0 (text independent of
// the key) the scored PRF inputs are distinct and their scores are i.i.d.: the p-value is exact.
import { toLog10 } from "../stats/index.js";
import { prf2 } from "./half-siphash.js";
import type { SchemeCore } from "./scheme-core.js";
import { ContextSet } from "./context-set.js";
import { PairTape } from "./tape.js";
import type { DetectionResult, TestOptions } from "./types.js";

/** The set of context words of every window in `sequences` (also the filter φ). */
export function contextsOf(core: SchemeCore, sequences: Iterable<ArrayLike<number>>): Set<number> {
  const contexts = new Set<number>();
  for (const ids of sequences) for (let end = core.context; end <= ids.length; end++) contexts.add(core.windowContext(ids, end));
  return contexts;
}

export class WatermarkTest {
  private readonly tape = new PairTape(256);
  private seen: ContextSet | null = null;
  private readonly ignored: Set<number> | null;
  private readonly firstContextOnly: boolean;
  private readonly hasPrompts: boolean;
  private tokens = 0;
  private scored = 0;
  private statistic = 0;
  private digest0 = 0x243f6a88;
  private digest1 = 0x85a308d3;

  constructor(
    private readonly core: SchemeCore,
    private readonly tieKey: [number, number],
    private readonly options: TestOptions = {},
  ) {
    this.hasPrompts = (options.prompts?.length ?? 0) > 0;
    this.ignored = this.hasPrompts ? contextsOf(core, options.prompts ?? []) : null;
    this.firstContextOnly = options.firstContextOnly ?? core.skipsRepeatedContexts;
  }

  /**
   * Scores the tokens of `ids` (position i keyed by the window before it). `prompt`: the text this
   * sequence answered; its windows are skipped in this sequence only (a model sees only its own
   * prompt, so only its own prompt can be copied). Windows of `options.prompts` are skipped everywhere.
   * `skip[i]`: the caller's own reason not to score position i (decided from the text alone).
   */
  addTokens(ids: ArrayLike<number>, prompt?: ArrayLike<number>, skip?: ArrayLike<boolean>): this {
    const local = prompt && prompt.length > 0 ? contextsOf(this.core, [prompt]) : null;
    return this.addCandidates(ids, ids, this.firstContextOnly, this.hasPrompts || local !== null, local, skip);
  }

  /**
   * Reading mode: `candidates[i]` (a suspect's prediction for position i) is scored in the context
   * of the text's window before i. Each context counts only at its first occurrence in the text,
   * because the watermark of later occurrences already shaped the text the suspect read. A negative
   * candidate is not scored (no prediction maps to this position). `prompt`: the text read before this
   * one; its windows are skipped, since it may quote watermarked text the suspect could copy.
   */
  addPredictions(text: ArrayLike<number>, candidates: ArrayLike<number>, prompt?: ArrayLike<number>): this {
    const local = prompt && prompt.length > 0 ? contextsOf(this.core, [prompt]) : null;
    return this.addCandidates(text, candidates, true, true, local);
  }

  private addCandidates(ids: ArrayLike<number>, candidates: ArrayLike<number>, firstOnly: boolean, guardSelf: boolean, local: Set<number> | null = null, skip?: ArrayLike<boolean>): this {
    const { core, tape, ignored } = this;
    const only = this.options.onlyContexts ?? null;
    const seen = firstOnly ? (this.seen ??= new ContextSet(ids.length)) : null;
    seen?.clear();
    const skipSelf = guardSelf && core.candidateKeyed;
    const h = core.context;
    this.tokens += ids.length;
    tape.reserve(ids.length);
    for (let i = h; i < ids.length; i++) {
      const window = core.windowContext(ids, i);
      if (seen !== null && !seen.add(window)) continue;
      if (ignored !== null && ignored.has(window)) continue;
      if (local !== null && local.has(window)) continue;
      if (skip?.[i]) continue;
      if (only !== null && !only.has(window)) continue;
      const token = candidates[i];
      if (token < 0) continue;
      const context = core.pairContext(window, token);
      // A self-keyed candidate's colour is shared by every window it follows (KGW self-hash).
      if (skipSelf && context === token) continue;
      if (!tape.add(context, token)) continue;
      const score = core.score(context, token);
      this.statistic += score;
      this.scored++;
      this.options.onScore?.(score);
      this.digest0 = Math.imul(this.digest0 ^ context, 0x85ebca6b) ^ token;
      this.digest1 = Math.imul((this.digest1 << 7) | (this.digest1 >>> 25), 0xc2b2ae35) ^ context ^ Math.imul(token, 0x27d4eb2f);
    }
    return this;
  }

  result(): DetectionResult {
    const { core, scored, statistic } = this;
    // The tie-break uniform comes from a separate subkey over the scored pairs, so it is
    // independent of the statistic under H0.
    const word = prf2(this.tieKey[0], this.tieKey[1], this.digest0 ^ scored, this.digest1);
    const u = this.options.randomize === false ? 1 : (word + 0.5) / 4294967296;
    const { log, conservative } = scored === 0 ? { log: 0, conservative: 0 } : core.logPValue(statistic, scored, u);
    return {
      scheme: core.name,
      tokens: this.tokens,
      scored,
      statistic: core.name === "gumbel" ? round(statistic, 6) : statistic,
      p_value: Math.exp(log),
      log10_p: toLog10(log),
      p_value_conservative: Math.exp(conservative),
      log10_p_conservative: toLog10(conservative),
    };
  }
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
