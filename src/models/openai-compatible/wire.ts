// OpenAI's chat-completions wire format: the request body the adapter sends and the parts of
// completions and stream chunks it reads. Both transports (the official SDK and node:http) carry
// these same shapes, so conversion lives once, here.
import type { ChatRequest, FinishReason, TokenLogprob, Usage } from "../spec.js";

export interface WireRequest {
  model: string;
  messages: ChatRequest["messages"];
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
  seed?: number;
  stop?: string[];
  logprobs?: boolean;
  top_logprobs?: number;
  stream?: boolean;
  stream_options?: { include_usage: boolean };
}

interface WireLogprobs {
  content?: { token: string; logprob: number; top_logprobs?: { token: string; logprob: number }[] }[] | null;
}

export interface WireChoice {
  message?: { content?: string | null };
  delta?: { content?: string | null };
  finish_reason?: string | null;
  logprobs?: WireLogprobs | null;
}

export interface WireUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
}

/** A completion or one stream chunk: the fields the adapter reads. */
export interface WireBody {
  model?: string;
  choices?: WireChoice[];
  usage?: WireUsage | null;
  error?: { message?: string; code?: string | null };
}

export function toWireRequest(model: string, request: ChatRequest, stream: boolean): WireRequest {
  const body: WireRequest = { model, messages: request.messages };
  if (request.maxTokens !== undefined) body.max_tokens = request.maxTokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.seed !== undefined) body.seed = request.seed;
  if (request.stop?.length) body.stop = request.stop;
  if (request.topLogprobs || request.logprobs) {
    body.logprobs = true;
    if (request.topLogprobs) body.top_logprobs = Math.min(request.topLogprobs, 20);
  }
  if (stream) Object.assign(body, { stream: true, stream_options: { include_usage: true } });
  return body;
}

export function toFinishReason(reason: string | null | undefined): FinishReason {
  if (reason === "length") return "length";
  if (!reason || reason === "stop" || reason === "tool_calls" || reason === "function_call") return "stop";
  return "error";
}

export function toUsage(usage: WireUsage | null | undefined): Usage {
  const promptTokens = usage?.prompt_tokens ?? 0;
  const completionTokens = usage?.completion_tokens ?? 0;
  return { promptTokens, completionTokens, totalTokens: usage?.total_tokens ?? promptTokens + completionTokens };
}

export function toLogprobs(logprobs: WireLogprobs | null | undefined): TokenLogprob[] | undefined {
  if (!logprobs?.content) return undefined;
  return logprobs.content.map((entry) => ({
    token: entry.token,
    logprob: entry.logprob,
    top: (entry.top_logprobs ?? []).map((alt) => ({ token: alt.token, logprob: alt.logprob })),
  }));
}
