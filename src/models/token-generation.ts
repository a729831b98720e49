// The generation loop shared by the white-box adapters (builtin engine, llama-cpp). Sampling happens
// here, in the project, with a seeded PRNG and a chain of logits processors, so a watermark behaves
// the same on every backend. Backends only turn tokens into next-token log-scores.
import { randomInt } from "node:crypto";
import type { ChatDelta, ChatRequest, ChatResult, FinishReason, TokenLogprob, TokenModel, Tokenizer } from "./spec.js";
import { ModelError } from "./errors.js";
import { sampleToken } from "../engine/sampling/sampler.js";
import { createRandom } from "../random/index.js";
import { TextAssembler } from "./text-assembler.js";
import { logSoftmax, topLogprobs } from "./log-softmax.js";

export interface LogitsSession {
  /** Feeds tokens after those already fed; returns log-scores (V,) for the next token. */
  feed(tokens: number[]): Promise<Float32Array>;
  dispose?(): void;
}

export interface TokenBackend {
  id: string;
  tokenizer: Tokenizer;
  contextLength: number;
  startSession(): Promise<LogitsSession>;
  nextDistributions(tokens: Int32Array): Promise<Float32Array[]>;
  close?(): Promise<void>;
}

const defaultMaxTokens = 256;

export function createTokenChatModel(backend: TokenBackend): TokenModel {
  const model: TokenModel = {
    id: backend.id,
    tokenizer: backend.tokenizer,
    nextDistributions: (tokens) => backend.nextDistributions(tokens),
    stream: (request) => streamTokens(backend, model.id, request),
    generate: (request) => collect(model.id, streamTokens(backend, model.id, request)),
    close: async () => backend.close?.(),
  };
  return model;
}

async function* streamTokens(backend: TokenBackend, id: string, request: ChatRequest): AsyncGenerator<ChatDelta> {
  const { tokenizer } = backend;
  const prompt = tokenizer.encodeChat(request.messages, { addGenerationPrompt: true });
  const maxTokens = request.maxTokens ?? defaultMaxTokens;
  if (prompt.length >= backend.contextLength) {
    throw new ModelError("MODEL_CONTEXT_OVERFLOW", `the prompt has ${prompt.length} tokens but ${id} holds at most ${backend.contextLength}; shorten it`);
  }
  const random = createRandom(request.seed ?? randomInt(2 ** 31));
  const wantLogprobs = Boolean(request.logprobs || request.topLogprobs);
  const stopIds = new Set(tokenizer.stopIds);
  const context = [...prompt];
  const generated: number[] = [];
  const assembler = new TextAssembler(tokenizer, request.stop ?? []);
  const session = await backend.startSession();
  let finishReason: FinishReason = "length";
  try {
    let scores = await session.feed(prompt);
    while (generated.length < maxTokens && context.length < backend.contextLength) {
      if (request.signal?.aborted) {
        finishReason = "abort";
        break;
      }
      const token = sampleToken(scores, context, {
        temperature: request.temperature ?? 1,
        topK: request.topK,
        topP: request.topP,
        processors: request.logitsProcessors,
        random,
      });
      if (stopIds.has(token)) {
        finishReason = "stop";
        break;
      }
      const logprobs = wantLogprobs ? [tokenLogprob(tokenizer, shownScores(scores, context, request.logitsProcessors), token, request.topLogprobs ?? 0)] : undefined;
      context.push(token);
      generated.push(token);
      const piece = assembler.push(token);
      // Every token is reported, even one whose text is still an incomplete UTF-8 sequence.
      yield { text: piece.text, logprobs, tokenIds: [token] };
      if (piece.stopped) {
        finishReason = "stop";
        break;
      }
      if (generated.length < maxTokens) scores = await session.feed([token]);
    }
  } finally {
    session.dispose?.();
  }
  const tail = assembler.flush();
  if (tail) yield { text: tail };
  yield {
    text: "",
    finishReason,
    usage: { promptTokens: prompt.length, completionTokens: generated.length, totalTokens: prompt.length + generated.length },
  };
}

/**
 * The scores whose log-probabilities are reported: with logits processors (a watermark), those of the
 * distribution the token was drawn from. Reporting the unprocessed model's would hand a caller the
 * unwatermarked choice at every step, and a student trained on them would carry no watermark.
 * Processors are pure functions of (context, logits), so running them again is safe.
 */
function shownScores(scores: Float32Array, context: readonly number[], processors: ChatRequest["logitsProcessors"]): Float32Array {
  if (!processors?.length) return scores;
  const shown = Float32Array.from(scores);
  for (const processor of processors) processor.process(context, shown);
  return shown;
}

// OpenAI's floor for a token the sampler can never pick (JSON has no -Infinity).
const IMPOSSIBLE_LOGPROB = -9999;

function tokenLogprob(tokenizer: Tokenizer, scores: Float32Array, token: number, k: number): TokenLogprob {
  const logprobs = logSoftmax(scores).map((value) => Math.max(value, IMPOSSIBLE_LOGPROB));
  return {
    id: token,
    token: tokenizer.tokenText(token),
    logprob: logprobs[token]!,
    top: topLogprobs(logprobs, k).map((alt) => ({ id: alt, token: tokenizer.tokenText(alt), logprob: logprobs[alt]! })),
  };
}

async function collect(id: string, deltas: AsyncIterable<ChatDelta>): Promise<ChatResult> {
  let text = "";
  const logprobs: TokenLogprob[] = [];
  const tokenIds: number[] = [];
  let finishReason: FinishReason = "stop";
  let usage = { promptTokens: 0, completionTokens: 0, totalTokens: 0 };
  for await (const delta of deltas) {
    text += delta.text;
    if (delta.logprobs) logprobs.push(...delta.logprobs);
    if (delta.tokenIds) tokenIds.push(...delta.tokenIds);
    if (delta.finishReason) finishReason = delta.finishReason;
    if (delta.usage) usage = delta.usage;
  }
  return { model: id, text, finishReason, usage, logprobs: logprobs.length ? logprobs : undefined, tokenIds };
}
