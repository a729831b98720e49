// The model spec: the whole contract every adapter implements (builtin engine, llama-cpp,
// openai-compatible). Feature rooms (distill, gateway, audit) only ever see these types.
import type { LogitsProcessor } from "../engine/sampling/logits-processor.js";

export type Role = "system" | "user" | "assistant";

export interface ChatMessage {
  role: Role;
  content: string;
}

export interface ChatRequest {
  messages: ChatMessage[];
  /** Upper bound on generated tokens. Adapters pick a sane default (256) when absent. */
  maxTokens?: number;
  /** 0 means greedy. Default 1. */
  temperature?: number;
  topP?: number;
  /** White-box adapters only; API adapters ignore it. */
  topK?: number;
  seed?: number;
  stop?: string[];
  /** Return this many alternatives per generated token (APIs allow at most 20). 0/undefined: no logprobs. */
  topLogprobs?: number;
  /** Return per-token log-probabilities of the sampled tokens even when topLogprobs is 0. */
  logprobs?: boolean;
  /** White-box adapters only: extra processors (watermarks) applied after temperature. */
  logitsProcessors?: LogitsProcessor[];
  signal?: AbortSignal;
}

export type FinishReason = "stop" | "length" | "abort" | "error";

export interface Usage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

export interface TopLogprob {
  token: string;
  logprob: number;
  id?: number;
}

export interface TokenLogprob extends TopLogprob {
  /** Best first. */
  top: TopLogprob[];
}

export interface ChatResult {
  model: string;
  text: string;
  finishReason: FinishReason;
  usage: Usage;
  logprobs?: TokenLogprob[];
  /** White-box adapters: the generated token ids (what watermark detectors score). */
  tokenIds?: number[];
}

export interface ChatDelta {
  text: string;
  logprobs?: TokenLogprob[];
  tokenIds?: number[];
  /** Present on the last delta only. */
  finishReason?: FinishReason;
  usage?: Usage;
}

export interface ChatModel {
  id: string;
  generate(request: ChatRequest): Promise<ChatResult>;
  stream(request: ChatRequest): AsyncIterable<ChatDelta>;
  close?(): Promise<void>;
}

export interface Tokenizer {
  vocabSize: number;
  bosId: number | null;
  eosId: number;
  /** Ids that end an assistant turn (eos and any end-of-turn token). */
  stopIds: number[];
  encode(text: string, options?: { special?: boolean }): number[];
  decode(ids: ArrayLike<number>): string;
  /** Text of one token as it appears in output (may be a partial UTF-8 sequence rendered lossily). */
  tokenText(id: number): string;
  /** Messages rendered with the model's chat template; with addGenerationPrompt the assistant turn is opened. */
  applyChatTemplate(messages: ChatMessage[], options?: { addGenerationPrompt?: boolean }): string;
  encodeChat(messages: ChatMessage[], options?: { addGenerationPrompt?: boolean }): number[];
}

export interface TokenModel extends ChatModel {
  tokenizer: Tokenizer;
  /** Next-token probability distributions, one per input position (row i predicts token i+1). */
  nextDistributions(tokens: Int32Array): Promise<Float32Array[]>;
}

export function isTokenModel(model: ChatModel): model is TokenModel {
  return typeof (model as TokenModel).nextDistributions === "function" && (model as TokenModel).tokenizer !== undefined;
}
