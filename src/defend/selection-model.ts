// A black-box upstream served through candidate selection, as a ChatModel: each answer (or each
// chunk of k tokens) is chosen among n candidates the upstream samples with different seeds. With
// chunks, the answer so far is sent as a final assistant message for the upstream to continue
// (llama.cpp's server and vLLM's `continue_final_message` do; plain OpenAI does not: use whole answers).
import type { ChatDelta, ChatModel, ChatRequest, ChatResult } from "../models/index.js";
import type { TextEncoder, Watermark } from "../watermark/index.js";
import { selectAnswer, type Candidate, type CandidateSource, type SelectionSummary } from "./candidate-selection.js";

export interface SelectionModelOptions {
  upstream: ChatModel;
  watermark: Watermark;
  tokenizer: TextEncoder;
  n: number;
  chunkTokens: number | null;
  /** Called once per answer with what the selection used (the exchange log records it). */
  onSummary?: (summary: SelectionSummary) => void;
  /** Seeds for requests without one (default: a counter). */
  nextSeed?: () => number;
}

const defaultMaxTokens = 256;

interface Tally {
  seed: number;
  calls: number;
  upstreamTokens: number;
  promptTokens: number;
}

export function createSelectionModel(options: SelectionModelOptions): ChatModel {
  let counter = 0;
  const nextSeed = options.nextSeed ?? (() => (counter = (counter + 1) % 2 ** 31));
  const sourceFor = (request: ChatRequest, tally: Tally): CandidateSource => async (prefix, n, maxTokens) => {
    // Each chunk's requests get their own seeds, so an upstream that samples by seed varies per chunk.
    const base = (request.seed ?? tally.seed) + tally.calls++ * 104_729;
    const messages = prefix ? [...request.messages, { role: "assistant" as const, content: prefix }] : request.messages;
    const asked = Array.from({ length: n }, (_, i) => options.upstream.generate({
      messages, maxTokens, temperature: request.temperature, topP: request.topP, stop: request.stop, seed: base + i * 7919, signal: request.signal,
    }));
    // A failed or missing candidate leaves fewer to choose from; identical ones count once.
    const settled = await Promise.allSettled(asked);
    const seen = new Set<string>();
    const candidates: Candidate[] = [];
    for (const result of settled) {
      if (result.status !== "fulfilled" || seen.has(result.value.text)) continue;
      seen.add(result.value.text);
      candidates.push({ text: result.value.text, finishReason: result.value.finishReason, completionTokens: result.value.usage.completionTokens });
    }
    if (candidates.length === 0) {
      const failure = settled.find((result) => result.status === "rejected");
      if (failure) throw failure.reason;
    }
    tally.upstreamTokens += settled.reduce((sum, result) => sum + (result.status === "fulfilled" ? result.value.usage.completionTokens : 0), 0);
    tally.promptTokens = Math.max(tally.promptTokens, ...settled.map((result) => (result.status === "fulfilled" ? result.value.usage.promptTokens : 0)));
    return candidates;
  };
  async function* stream(request: ChatRequest): AsyncGenerator<ChatDelta> {
    const tally: Tally = { seed: nextSeed(), calls: 0, upstreamTokens: 0, promptTokens: 0 };
    const run = selectAnswer({
      source: sourceFor(request, tally), watermark: options.watermark, tokenizer: options.tokenizer, n: options.n, chunkTokens: options.chunkTokens,
      maxTokens: request.maxTokens ?? defaultMaxTokens, prompt: request.messages.map((message) => message.content).join("\n"),
    });
    for (;;) {
      const step = await run.next();
      if (step.done) {
        // Every candidate's tokens count as upstream cost, the duplicates included.
        options.onSummary?.({ ...step.value, upstreamTokens: tally.upstreamTokens });
        const usage = { promptTokens: tally.promptTokens, completionTokens: step.value.completionTokens, totalTokens: tally.promptTokens + step.value.completionTokens };
        yield { text: "", finishReason: step.value.finishReason, usage };
        return;
      }
      yield { text: step.value.text };
    }
  }

  return {
    id: options.upstream.id,
    stream,
    async generate(request): Promise<ChatResult> {
      let text = "", finishReason: ChatResult["finishReason"] = "stop", usage = { promptTokens: 0, completionTokens: 0, totalTokens: 0 };
      for await (const delta of stream(request)) {
        text += delta.text;
        if (delta.finishReason) finishReason = delta.finishReason;
        if (delta.usage) usage = delta.usage;
      }
      return { model: options.upstream.id, text, finishReason, usage };
    },
  };
}
