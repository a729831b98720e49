// Response objects in OpenAI's chat-completions shapes (non-streamed and `chat.completion.chunk`).
import { randomBytes } from "node:crypto";
import type { FinishReason, TokenLogprob, Usage } from "../models/spec.js";

const idPrefix = `chatcmpl-${randomBytes(6).toString("hex")}`;
let idCounter = 0;

/** Unique per process run: a random prefix and a counter (cheaper than random bytes per request). */
export function completionId(): string {
  idCounter += 1;
  return `${idPrefix}${idCounter.toString(16).padStart(8, "0")}`;
}

export function openaiFinishReason(reason: FinishReason | undefined): "stop" | "length" {
  return reason === "length" ? "length" : "stop";
}

export function openaiUsage(usage: Usage): { prompt_tokens: number; completion_tokens: number; total_tokens: number } {
  return { prompt_tokens: usage.promptTokens, completion_tokens: usage.completionTokens, total_tokens: usage.totalTokens };
}

function bytesOf(text: string): number[] {
  return Array.from(Buffer.from(text, "utf8"));
}

export function openaiLogprobs(logprobs: TokenLogprob[] | undefined, top: number): unknown {
  if (!logprobs) return null;
  return {
    content: logprobs.map((entry) => ({
      token: entry.token,
      logprob: entry.logprob,
      bytes: bytesOf(entry.token),
      top_logprobs: entry.top.slice(0, top).map((alt) => ({ token: alt.token, logprob: alt.logprob, bytes: bytesOf(alt.token) })),
    })),
    refusal: null,
  };
}

export interface CompletionHeader {
  id: string;
  created: number;
  model: string;
}

/** One choice of a completion: its text, why it stopped and its log-probabilities (or null). */
export interface CompletionChoice {
  text: string;
  finishReason: FinishReason;
  logprobs: unknown;
}

export function completionObject(header: CompletionHeader, choices: readonly CompletionChoice[], usage: Usage): Record<string, unknown> {
  return {
    id: header.id,
    object: "chat.completion",
    created: header.created,
    model: header.model,
    choices: choices.map((choice, index) => ({
      index, message: { role: "assistant", content: choice.text, refusal: null }, logprobs: choice.logprobs, finish_reason: openaiFinishReason(choice.finishReason),
    })),
    usage: openaiUsage(usage),
    system_fingerprint: null,
  };
}

/** One chunk; with include_usage every chunk but the last carries `"usage": null`, as OpenAI sends. */
export function chunkObject(header: CompletionHeader, choices: unknown[], usage: unknown): Record<string, unknown> {
  const chunk: Record<string, unknown> = {
    id: header.id,
    object: "chat.completion.chunk",
    created: header.created,
    model: header.model,
    system_fingerprint: null,
    choices,
  };
  if (usage !== undefined) chunk.usage = usage;
  return chunk;
}

export function sseEvent(data: unknown): string {
  return `data: ${JSON.stringify(data)}\n\n`;
}

export const SSE_DONE = "data: [DONE]\n\n";
