// The `openai-compatible` adapter: any server that speaks OpenAI's chat completions (OpenAI, vLLM,
// Ollama, llama.cpp server, the Pedigree gateway). One adapter, two transports: the official
// `openai` client (default) or node:http with keep-alive ("http", for the gateway's hot path).
// Retries happen in exactly one place, this adapter's loop (retry.ts); the SDK's own are off, and
// a caller that retries whole requests itself passes maxRetries: 0.
import type { ChatDelta, ChatModel, ChatRequest, ChatResult, FinishReason, Usage } from "../spec.js";
import { brokenStreamError } from "./errors.js";
import { createHttpTransport } from "./http-transport.js";
import { defaultRetryPolicy, withRetries, type RetryPolicy } from "./retry.js";
import { createSdkTransport } from "./sdk-transport.js";
import type { Transport } from "./transport.js";
import { toFinishReason, toLogprobs, toUsage, toWireRequest } from "./wire.js";

export type TransportName = "sdk" | "http";

export interface OpenAICompatibleOptions {
  baseURL: string;
  model: string;
  apiKey?: string;
  /** "sdk" (default): the official client; "http": node:http, less work per request. */
  transport?: TransportName;
  /** Retries after the first attempt (408/409/429/5xx, connection errors, timeouts). Default 2. */
  maxRetries?: number;
  /** A Retry-After longer than this is not waited for: the error goes to the caller. Default 60 s. */
  maxRetryWaitMs?: number;
  /** Per-attempt timeout in milliseconds. Default 60 s. */
  timeoutMs?: number;
  /** SDK transport only: replaces global fetch (proxies). */
  fetch?: typeof fetch;
  /** Replaced in tests to record waits instead of sleeping. */
  sleep?: RetryPolicy["sleep"];
}

export function createOpenAICompatibleModel(options: OpenAICompatibleOptions): ChatModel {
  const transportOptions = { baseURL: options.baseURL, apiKey: options.apiKey, timeoutMs: options.timeoutMs ?? 60_000 };
  const transport: Transport = options.transport === "http" ? createHttpTransport(transportOptions) : createSdkTransport({ ...transportOptions, fetch: options.fetch });
  const policy: RetryPolicy = {
    maxRetries: options.maxRetries ?? defaultRetryPolicy.maxRetries,
    baseDelayMs: defaultRetryPolicy.baseDelayMs,
    maxWaitMs: options.maxRetryWaitMs ?? defaultRetryPolicy.maxWaitMs,
    sleep: options.sleep ?? defaultRetryPolicy.sleep,
  };

  async function generate(request: ChatRequest): Promise<ChatResult> {
    const body = toWireRequest(options.model, request, false);
    const completion = await withRetries(() => transport.complete(body, request.signal), policy, request.signal);
    const choice = completion.choices?.[0];
    return {
      model: completion.model || options.model,
      text: choice?.message?.content ?? "",
      finishReason: toFinishReason(choice?.finish_reason),
      usage: toUsage(completion.usage),
      logprobs: toLogprobs(choice?.logprobs),
    };
  }

  async function* stream(request: ChatRequest): AsyncIterable<ChatDelta> {
    const body = toWireRequest(options.model, request, true);
    // Only opening the stream is retried: once text has gone to the caller, a retry would repeat it.
    const chunks = await withRetries(() => transport.open(body, request.signal), policy, request.signal);
    let finishReason: FinishReason | undefined;
    let usage: Usage | undefined;
    for await (const chunk of chunks) {
      if (chunk.usage) usage = toUsage(chunk.usage);
      const choice = chunk.choices?.[0];
      if (!choice) continue;
      if (choice.finish_reason) finishReason = toFinishReason(choice.finish_reason);
      const text = choice.delta?.content ?? "";
      const logprobs = toLogprobs(choice.logprobs);
      if (text || logprobs) yield { text, logprobs };
    }
    if (!finishReason) throw brokenStreamError(options.baseURL, "no finish reason");
    yield { text: "", finishReason, usage: usage ?? toUsage(undefined) };
  }

  return { id: `${options.baseURL}#${options.model}`, generate, stream, close: async () => transport.close() };
}
