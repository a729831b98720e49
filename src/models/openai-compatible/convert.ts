// Conversions between the model spec and OpenAI's chat-completions wire format.
import type OpenAI from "openai";
import type { ChatRequest, FinishReason, TokenLogprob, Usage } from "../spec.js";

type CreateParams = OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming;
type ChoiceLogprobs = OpenAI.Chat.Completions.ChatCompletion.Choice.Logprobs | null | undefined;

export function toCreateParams(model: string, request: ChatRequest): CreateParams {
  const params: CreateParams = { model, messages: request.messages };
  if (request.maxTokens !== undefined) params.max_tokens = request.maxTokens;
  if (request.temperature !== undefined) params.temperature = request.temperature;
  if (request.topP !== undefined) params.top_p = request.topP;
  if (request.seed !== undefined) params.seed = request.seed;
  if (request.stop?.length) params.stop = request.stop;
  if (request.topLogprobs || request.logprobs) {
    params.logprobs = true;
    if (request.topLogprobs) params.top_logprobs = Math.min(request.topLogprobs, 20);
  }
  return params;
}

export function toFinishReason(reason: string | null | undefined): FinishReason {
  if (reason === "length") return "length";
  if (reason === "stop" || reason === "tool_calls" || reason === "function_call") return "stop";
  return reason ? "error" : "stop";
}

export function toUsage(usage: OpenAI.CompletionUsage | null | undefined): Usage {
  const promptTokens = usage?.prompt_tokens ?? 0;
  const completionTokens = usage?.completion_tokens ?? 0;
  return { promptTokens, completionTokens, totalTokens: usage?.total_tokens ?? promptTokens + completionTokens };
}

export function toLogprobs(logprobs: ChoiceLogprobs): TokenLogprob[] | undefined {
  if (!logprobs?.content) return undefined;
  return logprobs.content.map((entry) => ({
    token: entry.token,
    logprob: entry.logprob,
    top: (entry.top_logprobs ?? []).map((alt) => ({ token: alt.token, logprob: alt.logprob })),
  }));
}
