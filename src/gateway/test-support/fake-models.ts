// ChatModel fakes for gateway tests: deterministic text, word-by-word deltas, usage counted in words,
// optional delay per delta, scripted failures, and a record of every request (signal, processors).
import type { LogitsProcessor } from "../../engine/sampling/logits-processor.js";
import type { ChatDelta, ChatModel, ChatRequest, ChatResult, TokenModel, Tokenizer } from "../../models/spec.js";

export interface EchoOptions {
  id?: string;
  /** Milliseconds before each delta. */
  delayMs?: number;
  /** Throw this instead of answering. */
  fail?: () => Error;
  /** How many words to answer with (default: echo the prompt's words). */
  words?: number;
  /** Throw after this many deltas (a backend dying mid-stream). */
  failAfter?: number;
  /** After this many deltas, wait until the request's signal aborts (a backend that stalls). */
  hangAfter?: number;
  /** Wait for this before the first delta (the test decides when the backend answers). */
  gate?: Promise<void>;
}

export interface EchoModel extends ChatModel {
  requests: ChatRequest[];
  /** Number of generations stopped by their signal. */
  aborted: number;
  /** Resolves once `requests.length >= count` (tests wait on events, not on the clock). */
  untilRequests(count: number): Promise<void>;
  /** Resolves once `aborted >= count`. */
  untilAborted(count: number): Promise<void>;
}

function answerWords(request: ChatRequest, words: number | undefined): string[] {
  const last = request.messages.at(-1)?.content ?? "";
  const base = `echo: ${last}`.split(" ");
  const count = Math.min(words ?? base.length, request.maxTokens ?? Infinity);
  return Array.from({ length: count }, (_, i) => base[i % base.length]!);
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });

/** Waits until the signal aborts, then rejects with its reason. */
const stall = (signal?: AbortSignal) =>
  new Promise<never>((_, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
  });

export function echoModel(options: EchoOptions = {}): EchoModel {
  const waiters: { ready: () => boolean; resolve: () => void }[] = [];
  const wake = () => {
    for (const waiter of waiters.splice(0)) (waiter.ready() ? waiter.resolve() : waiters.push(waiter));
  };
  const until = (ready: () => boolean) => new Promise<void>((resolve) => (ready() ? resolve() : waiters.push({ ready, resolve })));
  const interrupted = (error: unknown): never => {
    model.aborted += 1;
    wake();
    throw error;
  };
  const model: EchoModel = {
    id: options.id ?? "echo",
    requests: [],
    aborted: 0,
    untilRequests: (count) => until(() => model.requests.length >= count),
    untilAborted: (count) => until(() => model.aborted >= count),
    async generate(request: ChatRequest): Promise<ChatResult> {
      let text = "";
      let last: ChatDelta | undefined;
      for await (const delta of model.stream(request)) {
        text += delta.text;
        last = delta;
      }
      return { model: model.id, text, finishReason: last!.finishReason!, usage: last!.usage!, logprobs: request.logprobs ? [{ token: "echo:", logprob: -0.5, top: [{ token: "echo:", logprob: -0.5 }, { token: "x", logprob: -1.5 }] }] : undefined };
    },
    async *stream(request: ChatRequest): AsyncIterable<ChatDelta> {
      model.requests.push(request);
      wake();
      if (options.fail) throw options.fail();
      if (options.gate) await Promise.race([options.gate, stall(request.signal)]).catch(interrupted);
      const words = answerWords(request, options.words);
      const prompt = request.messages.reduce((sum, message) => sum + message.content.split(" ").length, 0);
      for (let i = 0; i < words.length; i++) {
        if (options.failAfter === i) throw Object.assign(new Error("backend died"), { status: 500 });
        if (options.hangAfter === i) await stall(request.signal).catch(interrupted);
        if (options.delayMs) await sleep(options.delayMs, request.signal).catch(interrupted);
        yield { text: (i === 0 ? "" : " ") + words[i] };
      }
      yield { text: "", finishReason: words.length === (request.maxTokens ?? -1) ? "length" : "stop", usage: { promptTokens: prompt, completionTokens: words.length, totalTokens: prompt + words.length } };
    },
  };
  return model;
}

/** A white-box fake: looks like a TokenModel, so the gateway hands it logits processors. */
export function fakeTokenModel(): EchoModel & TokenModel {
  const tokenizer: Tokenizer = {
    vocabSize: 4,
    bosId: null,
    eosId: 0,
    stopIds: [0],
    encode: (text) => Array.from(text, () => 1),
    decode: (ids) => "x".repeat(ids.length),
    tokenText: () => "x",
    applyChatTemplate: (messages) => messages.map((m) => m.content).join("\n"),
    encodeChat: (messages) => messages.map(() => 1),
  };
  return Object.assign(echoModel({ id: "white" }), { tokenizer, nextDistributions: async (tokens: Int32Array) => Array.from(tokens, () => new Float32Array(4).fill(0.25)) });
}

/** A stand-in watermark hook: counts processors handed out. */
export function fakeWatermark(): { keyId: string; handedOut: number; processor(): LogitsProcessor } {
  const hook = {
    keyId: "wm_test",
    handedOut: 0,
    processor(): LogitsProcessor {
      hook.handedOut += 1;
      return { process: () => undefined };
    },
  };
  return hook;
}
