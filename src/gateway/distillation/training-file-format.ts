// The OpenAI fine-tuning JSONL checked at upload: one {"messages": [...]} conversation per line
// (system/user/assistant, assistant turns may carry "weight": 0|1), at least 10 examples (OpenAI's
// minimum; research notes, distill-gateway.md). The first bad line is named in the 400.
import { chatLineSchema, type ChatLine } from "../../distill/index.js";
import { invalidFile } from "./distillation-errors.js";
import { parseJsonlLines } from "./jsonl-lines.js";

export const MIN_TRAINING_EXAMPLES = 10;

export function parseTrainingLines(text: string): ChatLine[] {
  return parseJsonlLines(text, chatLineSchema);
}

/** Checks a training (or validation) file; returns its examples. */
export function checkTrainingFile(text: string): ChatLine[] {
  const lines = parseTrainingLines(text);
  if (lines.length < MIN_TRAINING_EXAMPLES) {
    throw invalidFile(`Training file has ${lines.length} example(s), but must have at least ${MIN_TRAINING_EXAMPLES} examples.`);
  }
  return lines;
}
