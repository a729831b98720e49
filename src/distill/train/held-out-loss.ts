// Mean cross-entropy of the counted tokens (the answers) of held-out examples under a model.
import { crossEntropy } from "../../engine/losses/cross-entropy.js";
import { LlamaModel } from "../../engine/model/llama-model.js";
import type { TrainingExample } from "../../engine/train/training-data.js";

export function heldOutLoss(model: LlamaModel, examples: TrainingExample[], contextLength: number, vocabSize: number): number {
  let loss = 0;
  let count = 0;
  for (const example of examples) {
    const length = Math.min(example.tokens.length, contextLength + 1);
    const T = length - 1;
    if (T < 1) continue;
    const inputs = Int32Array.from({ length: T }, (_, i) => example.tokens[i]!);
    const targets = Int32Array.from({ length: T }, (_, i) => (example.lossMask?.[i + 1] ?? 1 ? example.tokens[i + 1]! : -1));
    const logits = model.forward(inputs, 1, T);
    const part = crossEntropy(null, logits, targets, T, vocabSize, 1);
    loss += part.loss;
    count += part.count;
  }
  return count > 0 ? loss / count : Number.NaN;
}
