// The fast transport: node:http(s) with keep-alive sockets, for a caller on every request's path
// (the gateway). bench/gateway.js measures it against the SDK transport on one local upstream.
import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { ModelError } from "../errors.js";
import { abortedError, brokenStreamError, connectionError, responseError, timeoutError } from "./errors.js";
import { SseLineReader } from "./sse-reader.js";
import type { Transport, TransportOptions } from "./transport.js";
import type { WireBody, WireRequest } from "./wire.js";

export function createHttpTransport(options: TransportOptions): Transport {
  const url = new URL(`${options.baseURL.replace(/\/+$/, "")}/chat/completions`);
  const secure = url.protocol === "https:";
  const agent = secure ? new HttpsAgent({ keepAlive: true, maxSockets: 256 }) : new HttpAgent({ keepAlive: true, maxSockets: 256 });
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json, text/event-stream" };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  // Computed once, not parsed from a URL on every call.
  const target = { protocol: url.protocol, hostname: url.hostname.replace(/^\[|\]$/g, ""), port: url.port || (secure ? 443 : 80), path: url.pathname + url.search, method: "POST", agent };

  /** One attempt; resolves with a 2xx response and a mapper for errors raised while reading it. */
  function send(body: WireRequest, signal: AbortSignal | undefined): Promise<{ response: IncomingMessage; failure: (error: unknown) => ModelError }> {
    const text = JSON.stringify(body);
    let timedOut = false;
    const failure = (error: unknown): ModelError => {
      if (ModelError.isInstance(error)) return error;
      if (signal?.aborted) return abortedError(error);
      if (timedOut) return timeoutError(options.baseURL, error);
      return connectionError(options.baseURL, error);
    };
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortedError(signal.reason));
      const call = secure ? httpsRequest : httpRequest;
      const req = call({ ...target, headers: { ...headers, "content-length": String(Buffer.byteLength(text)) } }, (response) => {
        const status = response.statusCode ?? 0;
        if (status >= 200 && status < 300) return resolve({ response, failure });
        readAll(response).then((raw) => reject(responseError(options.baseURL, status, errorBody(raw), response.headers, raw)), (error) => reject(failure(error)));
      });
      req.setTimeout(options.timeoutMs, () => {
        timedOut = true;
        req.destroy();
      });
      req.on("error", (error) => reject(failure(error)));
      if (signal) abortOn(signal, req);
      req.end(text);
    });
  }

  async function* chunks(response: IncomingMessage, failure: (error: unknown) => ModelError): AsyncIterable<WireBody> {
    const reader = new SseLineReader();
    try {
      for await (const bytes of response as AsyncIterable<Buffer>) {
        for (const data of reader.push(bytes)) {
          if (data === "[DONE]") return;
          const body = parseChunk(data);
          if (!body) throw brokenStreamError(options.baseURL, `not JSON: ${data.slice(0, 80)}`);
          if (body.error) throw brokenStreamError(options.baseURL, body.error.message ?? "unknown error");
          yield body;
        }
      }
    } catch (error) {
      throw failure(error);
    }
  }

  return {
    async complete(body, signal) {
      const { response, failure } = await send(body, signal);
      try {
        return JSON.parse(await readAll(response)) as WireBody;
      } catch (error) {
        throw error instanceof SyntaxError ? responseError(options.baseURL, 502, { message: "the answer is not JSON" }, response.headers) : failure(error);
      }
    },
    async open(body, signal) {
      const { response, failure } = await send(body, signal);
      return chunks(response, failure);
    },
    close: () => agent.destroy(),
  };
}

/** Destroys the request (and its response) when `signal` fires. node:http's own `signal` option does
 *  the same with end-of-stream tracking that costs more per call, on the gateway's every request. */
function abortOn(signal: AbortSignal, req: ClientRequest): void {
  const abort = () => req.destroy(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
  signal.addEventListener("abort", abort);
  // "close" follows the end of the response, or an error.
  req.once("close", () => signal.removeEventListener("abort", abort));
}

function parseChunk(data: string): WireBody | undefined {
  try {
    return JSON.parse(data) as WireBody;
  } catch {
    return undefined;
  }
}

function errorBody(raw: string): { message?: string; code?: string | null } | undefined {
  try {
    return (JSON.parse(raw) as WireBody).error;
  } catch {
    return undefined;
  }
}

async function readAll(response: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  // Usually the whole answer came in one read and is buffered already: take it at once. Waiting for
  // "end" would put node:http's handing back of the keep-alive socket before the caller's next step.
  if (response.complete && !response.readableDidRead) {
    for (let part: Buffer | null; (part = response.read() as Buffer | null) !== null; ) parts.push(part);
    return Buffer.concat(parts).toString("utf8");
  }
  for await (const part of response as AsyncIterable<Buffer>) parts.push(part);
  return Buffer.concat(parts).toString("utf8");
}
