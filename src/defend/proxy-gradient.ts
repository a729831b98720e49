// g = ∇θ of the proxy student's loss on held-out teacher answers (Savani et al. 2025, save_grad.py):
// per answer, the mean next-token cross-entropy over the answer's tokens (completion only); g is the
// mean of those per-answer gradients. One forward/backward pass of the engine per answer.
import { LlamaModel, type LlamaConfig } from "../engine/index.js";
import { crossEntropy } from "../engine/losses/cross-entropy.js";
import type { ModelTensors } from "../engine/model/parameters.js";
import type { ChatMessage, Tokenizer } from "../models/index.js";
import { DefendError } from "./errors.js";

/** A held-out teacher answer: the conversation it answered and the answer's text. */
export interface HeldOutAnswer {
  messages: ChatMessage[];
  response: string;
}

export interface AnswerTokens {
  tokens: number[];
  /** Index of the first answer token (the loss counts tokens from here on). */
  answerStart: number;
}

/** The prompt rendered with the chat template, the answer, then the end-of-turn token (as distill trains). */
export function answerTokens(answer: HeldOutAnswer, tokenizer: Tokenizer, contextLength: number): AnswerTokens {
  const prompt = tokenizer.encodeChat(answer.messages, { addGenerationPrompt: true });
  const endOfTurn = tokenizer.stopIds[tokenizer.stopIds.length - 1] ?? tokenizer.eosId;
  const tokens = [...prompt, ...tokenizer.encode(answer.response), endOfTurn].slice(0, contextLength);
  return { tokens, answerStart: prompt.length };
}

export interface GradientResult {
  gradient: Float32Array;
  examples: number;
  targetTokens: number;
  /** Mean over answers of the per-answer mean loss (nats per token). */
  meanLoss: number;
}

export function proxyGradient(config: LlamaConfig, params: ModelTensors, answers: AnswerTokens[], onProgress?: (done: number, total: number) => void): GradientResult {
  const usable = answers.filter((a) => a.tokens.length > a.answerStart && a.answerStart >= 1);
  if (usable.length === 0) throw new DefendError("DEFENCE_BAD_DATA", "no held-out answer has an answer token inside the proxy's context; pass answers with text");
  const model = new LlamaModel(config, params);
  model.zeroGrad();
  const V = config.vocabSize;
  let lossSum = 0, targetTokens = 0;
  for (const [index, answer] of usable.entries()) {
    const T = answer.tokens.length - 1;
    const inputs = Int32Array.from(answer.tokens.slice(0, T));
    // Position i predicts token i + 1; only answer tokens are targets.
    const targets = Int32Array.from({ length: T }, (_, i) => (i + 1 >= answer.answerStart ? answer.tokens[i + 1]! : -1));
    const count = targets.reduce((n, t) => n + (t >= 0 ? 1 : 0), 0);
    const logits = model.forward(inputs, 1, T);
    const dlogits = new Float32Array(T * V);
    const { loss } = crossEntropy(dlogits, logits, targets, T, V, 1 / (count * usable.length));
    lossSum += loss / count;
    targetTokens += count;
    model.backward(dlogits);
    onProgress?.(index + 1, usable.length);
  }
  return { gradient: Float32Array.from(model.grads.data), examples: usable.length, targetTokens, meanLoss: lossSum / usable.length };
}

export function euclideanNorm(values: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]! * values[i]!;
  return Math.sqrt(sum);
}
