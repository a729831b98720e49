// OpenAI's chat-completions wire format as the pass-through client sends and reads it.
import type { ChatRequest, FinishReason, TokenLogprob, Usage } from "../models/spec.js";

export interface WireChoice {
  message?: { content?: string | null };
  delta?: { content?: string | null };
  finish_reason?: string | null;
  logprobs?: { content?: { token: string; logprob: number; top_logprobs?: { token: string; logprob: number }[] }[] | null } | null;
}

export interface WireBody {
  model?: string;
  choices?: WireChoice[];
  usage?: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number } | null;
  error?: { message?: string };
}

export function wireParams(model: string, request: ChatRequest, stream: boolean): string {
  const body: Record<string, unknown> = { model, messages: request.messages };
  if (request.maxTokens !== undefined) body.max_tokens = request.maxTokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.seed !== undefined) body.seed = request.seed;
  if (request.stop?.length) body.stop = request.stop;
  if (request.logprobs || request.topLogprobs) {
    body.logprobs = true;
    if (request.topLogprobs) body.top_logprobs = Math.min(request.topLogprobs, 20);
  }
  if (stream) Object.assign(body, { stream: true, stream_options: { include_usage: true } });
  return JSON.stringify(body);
}

export function finishReason(reason: string | null | undefined): FinishReason {
  if (reason === "length") return "length";
  return reason === "stop" || reason === "tool_calls" || reason === "function_call" || !reason ? "stop" : "error";
}

export function usageOf(usage: WireBody["usage"]): Usage {
  const promptTokens = usage?.prompt_tokens ?? 0;
  const completionTokens = usage?.completion_tokens ?? 0;
  return { promptTokens, completionTokens, totalTokens: usage?.total_tokens ?? promptTokens + completionTokens };
}

export function logprobsOf(choice: WireChoice | undefined): TokenLogprob[] | undefined {
  const content = choice?.logprobs?.content;
  if (!content) return undefined;
  return content.map((entry) => ({ token: entry.token, logprob: entry.logprob, top: (entry.top_logprobs ?? []).map((alt) => ({ token: alt.token, logprob: alt.logprob })) }));
}
