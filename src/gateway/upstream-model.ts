// A lean pass-through ChatModel for OpenAI-compatible upstreams on node:http with keep-alive
// sockets. The gateway sits on every request's path, so it avoids the general-purpose client
// (fetch plus an SDK cost several times the gateway's own work per request, see bench/gateway.js);
// errors become ModelErrors with the upstream's status, as the models room's adapters raise them.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { ModelError } from "../models/errors.js";
import type { ChatDelta, ChatModel, ChatRequest, ChatResult, FinishReason, Usage } from "../models/spec.js";
import { SseLineReader } from "./sse-reader.js";
import { finishReason, logprobsOf, usageOf, wireParams, type WireBody } from "./upstream-wire.js";

export interface UpstreamOptions {
  /** e.g. http://127.0.0.1:8080/v1 */
  baseURL: string;
  model: string;
  apiKey?: string;
  /** Retries, before any byte of an answer, after a connection error, 429 or 5xx. Default 1. */
  maxRetries?: number;
}

const retryable = (error: unknown) => ModelError.isInstance(error) && error.code !== "MODEL_ABORTED" && error.isRetryable;
const pause = (ms: number, signal?: AbortSignal) => new Promise((resolve) => {
  const timer = setTimeout(resolve, ms);
  signal?.addEventListener("abort", () => (clearTimeout(timer), resolve(undefined)), { once: true });
});

const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 256 });
const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 256 });

export function createUpstreamModel(options: UpstreamOptions): ChatModel {
  const url = new URL(`${options.baseURL.replace(/\/+$/, "")}/chat/completions`);
  const secure = url.protocol === "https:";
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json, text/event-stream" };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  // Request options computed once (not parsed from a URL on every call).
  const target = { protocol: url.protocol, hostname: url.hostname.replace(/^\[|\]$/g, ""), port: url.port || (secure ? 443 : 80), path: url.pathname + url.search, method: "POST", agent: secure ? httpsAgent : httpAgent };

  /** Sends with retries (exponential backoff from 100 ms) while the failure is retryable. */
  async function send(body: string, signal: AbortSignal | undefined): Promise<IncomingMessage> {
    const retries = options.maxRetries ?? 1;
    for (let attempt = 0; ; attempt++) {
      try {
        return await sendOnce(body, signal);
      } catch (error) {
        if (attempt >= retries || !retryable(error) || signal?.aborted) throw error;
        await pause(100 * 2 ** attempt, signal);
      }
    }
  }

  /** Resolves with a 2xx response or throws a ModelError carrying the status. */
  function sendOnce(body: string, signal: AbortSignal | undefined): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const call = secure ? httpsRequest : httpRequest;
      const req = call({ ...target, headers: { ...headers, "content-length": String(Buffer.byteLength(body)) }, signal }, (res) => {
        if ((res.statusCode ?? 0) < 400) return resolve(res);
        readAll(res).then((text) => {
          let detail = text.slice(0, 500);
          try {
            detail = (JSON.parse(text) as WireBody).error?.message ?? detail;
          } catch {
            // not JSON: keep the text
          }
          reject(new ModelError("MODEL_API_ERROR", `${options.baseURL} answered ${res.statusCode}: ${detail}`, { statusCode: res.statusCode }));
        }, reject);
      });
      req.on("error", (error) => reject(signal?.aborted ? new ModelError("MODEL_ABORTED", "the request was aborted", { cause: error, isRetryable: false }) : new ModelError("MODEL_CONNECTION", `cannot reach ${options.baseURL}: ${error.message}`, { cause: error, isRetryable: true })));
      req.end(body);
    });
  }

  async function generate(request: ChatRequest): Promise<ChatResult> {
    const response = await send(wireParams(options.model, request, false), request.signal);
    const body = JSON.parse(await readAll(response)) as WireBody;
    const choice = body.choices?.[0];
    return { model: body.model || options.model, text: choice?.message?.content ?? "", finishReason: finishReason(choice?.finish_reason), usage: usageOf(body.usage), logprobs: logprobsOf(choice) };
  }

  async function* stream(request: ChatRequest): AsyncIterable<ChatDelta> {
    const response = await send(wireParams(options.model, request, true), request.signal);
    const reader = new SseLineReader();
    let finish: FinishReason | undefined;
    let usage: Usage | undefined;
    let done = false;
    for await (const chunk of response as AsyncIterable<Buffer>) {
      for (const data of reader.push(chunk)) {
        if (data === "[DONE]") {
          done = true;
          break;
        }
        const body = JSON.parse(data) as WireBody;
        if (body.error) throw new ModelError("MODEL_API_ERROR", `${options.baseURL} failed mid-stream: ${body.error.message ?? "unknown error"}`, { statusCode: 502 });
        if (body.usage) usage = usageOf(body.usage);
        const choice = body.choices?.[0];
        if (!choice) continue;
        if (choice.finish_reason) finish = finishReason(choice.finish_reason);
        const text = choice.delta?.content ?? "";
        const logprobs = logprobsOf(choice);
        if (text || logprobs) yield { text, logprobs };
      }
      if (done) break;
    }
    if (!finish) throw new ModelError("MODEL_API_ERROR", `the stream from ${options.baseURL} ended before the answer was finished`, { statusCode: 502, isRetryable: true });
    yield { text: "", finishReason: finish, usage: usage ?? usageOf(undefined) };
  }

  return { id: `${options.baseURL}#${options.model}`, generate, stream };
}

async function readAll(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}
