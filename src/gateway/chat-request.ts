// The body of POST /v1/chat/completions, validated with zod, and its translation to a ChatRequest.
// Fields the gateway does not use (user, metadata, store, …) are accepted and ignored, as OpenAI's
// compatible servers do.
import { z } from "zod";
import type { ChatMessage, ChatRequest } from "../models/spec.js";
import { badRequest } from "./errors.js";
import { plainChatBody } from "./plain-chat-body.js";

const textPart = z.looseObject({ type: z.literal("text"), text: z.string() });

const messageSchema = z.looseObject({
  role: z.enum(["system", "developer", "user", "assistant"]),
  content: z.union([z.string(), z.array(textPart)]).nullable(),
  name: z.string().optional(),
});

const bodySchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(messageSchema).min(1),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().nullish() }).nullish(),
  logprobs: z.boolean().nullish(),
  top_logprobs: z.number().int().min(0).max(20).nullish(),
  seed: z.number().int().nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  n: z.number().int().nullish(),
});

export type ChatCompletionBody = z.infer<typeof bodySchema>;

/** Choices one request may ask for: each is a generation of its own and a row of its own in the log. */
export const MAX_CHOICES = 8;

/** Throws a 400 naming the first bad field. */
export function parseChatBody(raw: unknown): ChatCompletionBody {
  return (plainChatBody(raw) as ChatCompletionBody | null) ?? parseWithSchema(raw);
}

/** The schema alone (plain-chat-body.test.ts compares the two). */
export function parseWithSchema(raw: unknown): ChatCompletionBody {
  const result = bodySchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const param = issue.path.length > 0 ? issue.path.map(String).join(".") : null;
    throw badRequest("INVALID_REQUEST", param ? `Invalid value for '${param}': ${issue.message}` : `Invalid request body: ${issue.message}`, param);
  }
  const body = result.data;
  const n = body.n ?? 1;
  if (n < 1 || n > MAX_CHOICES) throw badRequest("UNSUPPORTED_VALUE", `'n' must be between 1 and ${MAX_CHOICES}, got ${n}.`, "n");
  if (n > 1 && body.stream) throw badRequest("UNSUPPORTED_VALUE", "'n' greater than 1 is not supported with 'stream'; send one streamed request per completion.", "n");
  if ((body.top_logprobs ?? 0) > 0 && body.logprobs !== true) {
    throw badRequest("INVALID_REQUEST", "'top_logprobs' needs 'logprobs' set to true.", "top_logprobs");
  }
  return body;
}

export function chatMessages(body: ChatCompletionBody): ChatMessage[] {
  return body.messages.map((message) => ({
    role: message.role === "developer" ? "system" : message.role,
    content: typeof message.content === "string" ? message.content : (message.content ?? []).map((part) => part.text).join(""),
  }));
}

/** The model-spec request (without signal and processors, which the route adds). */
export function chatRequest(body: ChatCompletionBody, messages: ChatMessage[]): ChatRequest {
  const request: ChatRequest = { messages };
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (maxTokens != null) request.maxTokens = maxTokens;
  if (body.temperature != null) request.temperature = body.temperature;
  if (body.top_p != null) request.topP = body.top_p;
  if (body.seed != null) request.seed = body.seed;
  if (body.stop != null) request.stop = typeof body.stop === "string" ? [body.stop] : body.stop;
  if (body.logprobs) {
    request.logprobs = true;
    request.topLogprobs = body.top_logprobs ?? 0;
  }
  return request;
}

/** What the log keeps of a request: the messages and the sampling parameters. */
export function loggedRequest(body: ChatCompletionBody, messages: ChatMessage[]): string {
  const { model: _model, messages: _messages, ...params } = body;
  return JSON.stringify({ messages, params });
}
