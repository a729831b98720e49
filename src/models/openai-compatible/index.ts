// The `openai-compatible` adapter: any server that speaks OpenAI's chat completions (OpenAI, vLLM,
// Ollama, llama.cpp server, the Pedigree gateway), through the official `openai` client. The client
// already retries 408/409/429/5xx with exponential backoff and honours Retry-After; we set its
// retry count and timeout and map its errors to ModelError.
import OpenAI from "openai";
import type { ChatDelta, ChatModel, ChatRequest, ChatResult, FinishReason, Usage } from "../spec.js";
import { toCreateParams, toFinishReason, toLogprobs, toUsage } from "./convert.js";
import { toModelError } from "./errors.js";
import { ModelError } from "../errors.js";

export interface OpenAICompatibleOptions {
  baseURL: string;
  model: string;
  apiKey?: string;
  /** Retries after the first attempt (408/409/429/5xx and connection errors). Default 2. */
  maxRetries?: number;
  /** Per-attempt timeout in milliseconds. Default 60 s. */
  timeoutMs?: number;
  /** Replaces global fetch (tests, proxies). */
  fetch?: typeof fetch;
}

export function createOpenAICompatibleModel(options: OpenAICompatibleOptions): ChatModel {
  const client = new OpenAI({
    baseURL: options.baseURL,
    apiKey: options.apiKey ?? "not-needed",
    maxRetries: options.maxRetries ?? 2,
    timeout: options.timeoutMs ?? 60_000,
    fetch: options.fetch,
  });
  const id = `${options.baseURL}#${options.model}`;

  async function generate(request: ChatRequest): Promise<ChatResult> {
    try {
      const completion = await client.chat.completions.create(toCreateParams(options.model, request), { signal: request.signal });
      const choice = completion.choices[0];
      return {
        model: completion.model || options.model,
        text: choice?.message?.content ?? "",
        finishReason: toFinishReason(choice?.finish_reason),
        usage: toUsage(completion.usage),
        logprobs: toLogprobs(choice?.logprobs),
      };
    } catch (error) {
      throw toModelError(error, options.baseURL);
    }
  }

  async function* stream(request: ChatRequest): AsyncIterable<ChatDelta> {
    let finishReason: FinishReason | undefined;
    let usage: Usage | undefined;
    try {
      const chunks = await client.chat.completions.create(
        { ...toCreateParams(options.model, request), stream: true, stream_options: { include_usage: true } },
        { signal: request.signal },
      );
      for await (const chunk of chunks) {
        if (chunk.usage) usage = toUsage(chunk.usage);
        const choice = chunk.choices[0];
        if (!choice) continue;
        if (choice.finish_reason) finishReason = toFinishReason(choice.finish_reason);
        const text = choice.delta?.content ?? "";
        const logprobs = toLogprobs(choice.logprobs);
        if (text || logprobs) yield { text, logprobs };
      }
    } catch (error) {
      throw toModelError(error, options.baseURL);
    }
    if (!finishReason) {
      // The connection closed without a finish chunk: the upstream died mid-stream.
      throw new ModelError("MODEL_API_ERROR", `the stream from ${options.baseURL} ended before the answer was finished; retry the request`, { isRetryable: true });
    }
    yield { text: "", finishReason, usage: usage ?? toUsage(undefined) };
  }

  return { id, generate, stream };
}
