// Per-position scoring of a text under a TokenModel: the data behind `pedigree score`.
import type { TokenModel } from "./spec.js";
import { topLogprobs } from "./log-softmax.js";

export interface ScoredAlternative {
  id: number;
  text: string;
  logprob: number;
}

export interface ScoredToken {
  id: number;
  text: string;
  /** log p(token | earlier tokens); null at position 0, which nothing predicts. */
  logprob: number | null;
  top: ScoredAlternative[];
}

export interface ScoredText {
  perplexity: number;
  tokens: ScoredToken[];
}

export async function scoreText(model: TokenModel, text: string, top: number): Promise<ScoredText> {
  const ids = model.tokenizer.encode(text);
  const rows = ids.length > 0 ? await model.nextDistributions(Int32Array.from(ids)) : [];
  let logSum = 0;
  const tokens = ids.map((id, position): ScoredToken => {
    const tokenText = model.tokenizer.tokenText(id);
    if (position === 0) return { id, text: tokenText, logprob: null, top: [] };
    const row = rows[position - 1]!;
    const logprob = Math.log(row[id]!);
    logSum += logprob;
    const alternatives = topLogprobs(row, top).map((alt) => ({ id: alt, text: model.tokenizer.tokenText(alt), logprob: Math.log(row[alt]!) }));
    return { id, text: tokenText, logprob, top: alternatives };
  });
  const predicted = Math.max(0, ids.length - 1);
  return { perplexity: predicted > 0 ? Math.exp(-logSum / predicted) : Number.NaN, tokens };
}
