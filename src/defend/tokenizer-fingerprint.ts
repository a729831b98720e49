// A fingerprint of a tokenizer: what a defence's proxy and the served teacher must share for the
// proxy's log-probabilities to line up with the teacher's logits token by token.
import { createHash } from "node:crypto";
import type { Tokenizer } from "../models/index.js";

export function tokenizerFingerprint(tokenizer: Tokenizer): string {
  const hash = createHash("sha256");
  hash.update(`vocab ${tokenizer.vocabSize}\nstop ${[...tokenizer.stopIds].sort((a, b) => a - b).join(",")}\n`);
  for (let id = 0; id < tokenizer.vocabSize; id++) hash.update(`${tokenizer.tokenText(id)}\u0000`);
  // The chat template decides where an answer starts: two models that render it differently disagree.
  hash.update(tokenizer.applyChatTemplate([{ role: "user", content: "x" }], { addGenerationPrompt: true }));
  return `sha256:${hash.digest("hex").slice(0, 32)}`;
}
