// A white-box suspect for reading-mode tests: a count bigram fitted on texts (in its own tokenizer)
// behind the TokenModel interface. Fitted on watermarked answers it is a student that memorised them;
// fitted on anything else it is an independent model. With `copy`, it also copies like an induction
// head: after a token seen earlier in its context (prompt included) it predicts, with half its mass,
// the token that followed the last occurrence, so it repeats watermarked text that a prompt quotes.
// Copying by text treats "The" and " The" as one word, as language models do.
import type { ChatRequest, ChatResult, TokenModel } from "../../models/index.js";
import { createRandom } from "../../random/index.js";
import { CountBigram } from "../../watermark/test-support/count-bigram.js";
import type { WordTokenizer } from "./word-tokenizer.js";

export interface SuspectOptions {
  /** Copy after a token seen earlier; "text": after any token with the same text, spaces aside. */
  copy?: boolean | "text";
  smoothing?: number;
}

export function simulatedSuspect(id: string, tokenizer: WordTokenizer, texts: string[], options: SuspectOptions = {}): TokenModel {
  const bigram = new CountBigram(tokenizer.vocabSize, texts.map((text) => tokenizer.encode(text)), options.smoothing ?? 1);
  const nextDistributions = async (tokens: Int32Array): Promise<Float32Array[]> => {
    const rows: Float32Array[] = [];
    const last = new Map<number | string, number>();
    const name = (id: number) => (options.copy === "text" ? tokenizer.tokenText(id).trim() : id);
    for (let t = 0; t < tokens.length; t++) {
      const row = bigram.probabilities(tokens[t]!);
      const earlier = last.get(name(tokens[t]!));
      if (options.copy && earlier !== undefined) {
        for (let v = 0; v < row.length; v++) row[v]! *= 0.5;
        row[tokens[earlier + 1]!]! += 0.5;
      }
      last.set(name(tokens[t]!), t);
      rows.push(row);
    }
    return rows;
  };
  const generate = async (request: ChatRequest): Promise<ChatResult> => {
    const random = createRandom(request.seed ?? 0);
    const prompt = tokenizer.encodeChat(request.messages, { addGenerationPrompt: true });
    const context = [...prompt];
    const limit = request.maxTokens ?? 256;
    while (context.length - prompt.length < limit) {
      const rows = await nextDistributions(Int32Array.from(context));
      const next = sample(rows[rows.length - 1]!, request.temperature ?? 1, random.uniform53());
      if (tokenizer.stopIds.includes(next)) break;
      context.push(next);
    }
    const ids = context.slice(prompt.length);
    const finishReason = ids.length >= limit ? "length" : "stop";
    const usage = { promptTokens: prompt.length, completionTokens: ids.length, totalTokens: prompt.length + ids.length };
    return { model: id, text: tokenizer.decode(ids), finishReason, usage, tokenIds: ids };
  };
  return {
    id,
    tokenizer,
    nextDistributions,
    generate,
    async *stream(request) {
      const result = await generate(request);
      yield { text: result.text, tokenIds: result.tokenIds, finishReason: result.finishReason, usage: result.usage };
    },
  };
}

/** A draw from `row` at `temperature` (0: the most likely token) with the uniform `u`. */
function sample(row: Float32Array, temperature: number, u: number): number {
  let best = 0;
  for (let v = 1; v < row.length; v++) if (row[v]! > row[best]!) best = v;
  if (temperature === 0) return best;
  const weights = Array.from(row, (p) => p ** (1 / temperature));
  let target = u * weights.reduce((sum, w) => sum + w, 0);
  for (let v = 0; v < weights.length; v++) if ((target -= weights[v]!) < 0) return v;
  return best;
}
