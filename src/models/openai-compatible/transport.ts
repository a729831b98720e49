// A transport carries one attempt of a chat-completions call. It does not retry (the adapter's
// retry loop does) and raises only the ModelErrors of errors.ts.
import type { WireBody, WireRequest } from "./wire.js";

export interface TransportOptions {
  baseURL: string;
  apiKey?: string;
  /** Per attempt: no response (or, streaming, no bytes) for this long is MODEL_TIMEOUT. */
  timeoutMs: number;
}

export interface Transport {
  /** One attempt at a whole completion. */
  complete(body: WireRequest, signal?: AbortSignal): Promise<WireBody>;
  /** One attempt at a stream: resolves once the server accepted the request; the chunks follow. */
  open(body: WireRequest, signal?: AbortSignal): Promise<AsyncIterable<WireBody>>;
  close(): void;
}
