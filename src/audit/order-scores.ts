// Scores of the teacher's training windows for the training-order test: each model's mean per-token
// log-likelihood of a window's text under its own tokenizer (control-token texts such as
// <|im_start|> read as control tokens, as they were trained), the suspect's minus the reference's when
// a reference is given. A window is cut to its first `maxWindowTokens` tokens (128 or 64 for a model
// whose context is shorter) so it fits; a window with no predicted token scores null. Both rules look
// at the text and the model alone, never at a position, so H0 is kept.
import { ModelError, type TokenModel } from "../models/index.js";

/** The teacher's windows are 128 of its tokens; another tokenizer may need more, 256 fit every built-in. */
export const maxWindowTokens = 256;

/** Probabilities are float32: a zero would give −∞; the smallest normal float32 stands in for it. */
const smallest = 1.1754943508222875e-38;

export interface WindowScores {
  score: (number | null)[];
  /** Windows the suspect was asked to score. */
  suspectQueries: number;
  /** Windows cut to maxWindowTokens under some model's tokenizer. */
  truncated: number;
}

/** Distributions of the longest prefix (256, 128, then 64 tokens) that fits the model's context. */
async function fittedDistributions(model: TokenModel, ids: number[]): Promise<{ kept: number[]; rows: Float32Array[] }> {
  for (const cut of [maxWindowTokens, 128, 64]) {
    const kept = ids.slice(0, cut);
    try {
      return { kept, rows: await model.nextDistributions(Int32Array.from(kept)) };
    } catch (error) {
      if (!(ModelError.isInstance(error) && error.code === "MODEL_CONTEXT_OVERFLOW") || cut === 64) throw error;
    }
  }
  throw new Error("unreachable");
}

async function meanLogLikelihood(model: TokenModel, text: string): Promise<{ value: number | null; truncated: boolean }> {
  const ids = model.tokenizer.encode(text, { special: true });
  if (ids.length < 2) return { value: null, truncated: false };
  const { kept, rows } = await fittedDistributions(model, ids);
  let sum = 0;
  for (let i = 1; i < kept.length; i++) sum += Math.log(Math.max(rows[i - 1]![kept[i]!]!, smallest));
  return { value: sum / (kept.length - 1), truncated: ids.length > kept.length };
}

export async function scoreWindows(suspect: TokenModel, reference: TokenModel | undefined, texts: readonly string[],
  onProgress?: (done: number, total: number) => void): Promise<WindowScores> {
  const score: (number | null)[] = [];
  let truncated = 0;
  for (const [i, text] of texts.entries()) {
    const own = await meanLogLikelihood(suspect, text);
    const base = reference ? await meanLogLikelihood(reference, text) : { value: 0, truncated: false };
    if (own.truncated || base.truncated) truncated++;
    score.push(own.value === null || base.value === null ? null : own.value - base.value);
    onProgress?.(i + 1, texts.length);
  }
  return { score, suspectQueries: texts.length, truncated };
}
