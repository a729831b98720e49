// The gateway's pass-through model for OpenAI-compatible upstreams is the models room's adapter on
// its node:http transport; this name stays for the gateway's public API.
import { createOpenAICompatibleModel } from "../models/openai-compatible/index.js";
import type { ChatModel } from "../models/spec.js";

export interface UpstreamOptions {
  /** e.g. http://127.0.0.1:8080/v1 */
  baseURL: string;
  model: string;
  apiKey?: string;
  /** Retries before any byte of an answer. Default 0: the gateway's client retries (see backends.ts). */
  maxRetries?: number;
  timeoutMs?: number;
}

export function createUpstreamModel(options: UpstreamOptions): ChatModel {
  return createOpenAICompatibleModel({ ...options, maxRetries: options.maxRetries ?? 0, transport: "http" });
}
