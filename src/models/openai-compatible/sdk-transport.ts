// The default transport: the official `openai` client, with its own retries turned off.
import OpenAI from "openai";
import { brokenStreamError, fromSdkError } from "./errors.js";
import type { Transport, TransportOptions } from "./transport.js";
import type { WireBody, WireRequest } from "./wire.js";

type Params = OpenAI.Chat.Completions.ChatCompletionCreateParams;

export function createSdkTransport(options: TransportOptions & { fetch?: typeof fetch }): Transport {
  const client = new OpenAI({ baseURL: options.baseURL, apiKey: options.apiKey ?? "not-needed", maxRetries: 0, timeout: options.timeoutMs, fetch: options.fetch });
  const mapped = (error: unknown) => fromSdkError(error, options.baseURL);

  async function* chunks(stream: AsyncIterable<unknown>): AsyncIterable<WireBody> {
    try {
      for await (const chunk of stream) yield chunk as WireBody;
    } catch (error) {
      // fetch's body stream fails with a plain error when the connection drops mid-answer.
      if (error instanceof OpenAI.OpenAIError) throw mapped(error);
      throw brokenStreamError(options.baseURL, error instanceof Error ? error.message : String(error), error);
    }
  }

  return {
    async complete(body: WireRequest, signal?: AbortSignal) {
      try {
        return (await client.chat.completions.create({ ...(body as Params), stream: false }, { signal })) as WireBody;
      } catch (error) {
        throw mapped(error);
      }
    },
    async open(body: WireRequest, signal?: AbortSignal) {
      try {
        return chunks(await client.chat.completions.create({ ...(body as Params), stream: true }, { signal }));
      } catch (error) {
        throw mapped(error);
      }
    },
    close() {},
  };
}
