// The log-likelihood of a reference answer under a white-box model: mean log p(token | everything
// before it) over the answer's tokens, the prompt rendered with the model's own chat template.
import type { ChatMessage, TokenModel } from "../../models/spec.js";

export async function referenceLogLikelihood(model: TokenModel, messages: ChatMessage[], reference: string): Promise<number> {
  const { tokenizer } = model;
  const prompt = tokenizer.encodeChat(messages, { addGenerationPrompt: true });
  const whole = tokenizer.encodeChat([...messages, { role: "assistant", content: reference }]);
  // When the template renders the prompt as a prefix of the whole conversation, score the rest
  // (answer and end-of-turn); otherwise score the bare answer after the prompt.
  const isPrefix = prompt.length < whole.length && prompt.every((id, i) => whole[i] === id);
  const tokens = isPrefix ? whole : [...prompt, ...tokenizer.encode(reference)];
  if (tokens.length <= prompt.length || prompt.length === 0) return Number.NaN;
  const rows = await model.nextDistributions(Int32Array.from(tokens));
  let total = 0;
  for (let i = prompt.length; i < tokens.length; i++) {
    total += Math.log(Math.max(rows[i - 1]![tokens[i]!]!, 1e-30));
  }
  return total / (tokens.length - prompt.length);
}
