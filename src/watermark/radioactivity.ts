// Radioactivity (Sander et al., "Watermarking makes language models radioactive", NeurIPS 2024):
// was a suspect model trained on our watermarked outputs?
//   closed model: score the suspect's answers with one tape, skipping windows that occur in the
//     prompts (which may themselves be watermarked), optionally only windows in the filter φ;
//   open model (reading mode): feed watermarked texts to the suspect, take its top-1 prediction at
//     every position and score (window from the text, predicted token) with the tape.
import type { Watermark } from "./create.js";
import type { NextDistributions } from "./logits-processor.js";
import type { DetectionResult } from "./types.js";

export interface ClosedModelOptions {
  /** Prompts the suspect answered (token ids); their windows are not scored. */
  prompts?: ArrayLike<number>[];
  /** Filter φ: the known watermarked training texts; only their windows are scored. */
  filterTexts?: ArrayLike<number>[];
}

export function radioactivityClosedModel(watermark: Watermark, answers: ArrayLike<number>[], options: ClosedModelOptions = {}): DetectionResult {
  const onlyContexts = options.filterTexts ? watermark.contextSet(options.filterTexts) : undefined;
  const test = watermark.createTest({ prompts: options.prompts, onlyContexts, firstContextOnly: false });
  for (const answer of answers) test.addTokens(answer);
  return test.result();
}

export interface OpenModelOptions {
  /** Filter φ, as for the closed model. */
  filterTexts?: ArrayLike<number>[];
}

/** Index of the largest entry (top-1 prediction). */
export function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let v = 1; v < row.length; v++) if (row[v] > row[best]) best = v;
  return best;
}

export async function radioactivityOpenModel(
  watermark: Watermark,
  suspect: NextDistributions,
  watermarkedTexts: ArrayLike<number>[],
  options: OpenModelOptions = {},
): Promise<DetectionResult> {
  const onlyContexts = options.filterTexts ? watermark.contextSet(options.filterTexts) : undefined;
  const test = watermark.createTest({ onlyContexts });
  for (const text of watermarkedTexts) {
    const rows = await suspect.nextDistributions(Int32Array.from(text));
    // Row i − 1 predicts position i.
    const predictions = new Int32Array(text.length);
    for (let i = 1; i < text.length; i++) predictions[i] = argmax(rows[i - 1]);
    test.addPredictions(text, predictions);
  }
  return test.result();
}
