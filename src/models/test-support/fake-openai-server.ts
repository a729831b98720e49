// A local stand-in for an OpenAI-compatible server: replays recorded JSON and SSE fixtures and
// scripted faults (status codes, Retry-After, delays, a stream that dies mid-way). No network.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";

export interface ScriptedReply {
  status?: number;
  headers?: Record<string, string>;
  /** A JSON body (sent as application/json). */
  json?: unknown;
  /** Raw SSE text (sent as text/event-stream). */
  sse?: string;
  /** With sse: close the connection after this many bytes. */
  dieAfterBytes?: number;
  delayMs?: number;
  /** Never answer (timeouts and aborts without racing timers). */
  hang?: boolean;
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: unknown;
}

export interface FakeOpenAIServer {
  baseURL: string;
  requests: RecordedRequest[];
  /** Replies are used in order and the last one repeats; or one function of the request body. */
  script(replies: ScriptedReply[] | ((body: { stream?: boolean }) => ScriptedReply)): void;
  close(): Promise<void>;
}

export async function startFakeOpenAIServer(models: unknown): Promise<FakeOpenAIServer> {
  let replies: ScriptedReply[] = [];
  let replyFor: ((body: { stream?: boolean }) => ScriptedReply) | undefined;
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      requests.push({ method: request.method ?? "", url: request.url ?? "", headers: request.headers, body: raw ? JSON.parse(raw) : undefined });
      if (request.method === "GET" && request.url?.endsWith("/models")) return send(response, { json: models });
      const body = (requests.at(-1)!.body ?? {}) as { stream?: boolean };
      const reply = replyFor ? replyFor(body) : replies.length > 1 ? replies.shift()! : replies[0] ?? { status: 500, json: { error: { message: "no reply scripted" } } };
      if (reply.hang) return;
      setTimeout(() => send(response, reply), reply.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    script: (next) => {
      replyFor = typeof next === "function" ? next : undefined;
      replies = typeof next === "function" ? [] : [...next];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(response: ServerResponse, reply: ScriptedReply): void {
  if (response.destroyed) return;
  const status = reply.status ?? 200;
  if (reply.sse !== undefined) {
    response.writeHead(status, { "content-type": "text/event-stream", "cache-control": "no-cache", ...reply.headers });
    const bytes = Buffer.from(reply.sse, "utf8");
    if (reply.dieAfterBytes !== undefined) {
      response.write(bytes.subarray(0, reply.dieAfterBytes));
      setTimeout(() => response.socket?.destroy(), 10);
      return;
    }
    response.end(bytes);
    return;
  }
  response.writeHead(status, { "content-type": "application/json", ...reply.headers });
  response.end(JSON.stringify(reply.json ?? {}));
}

/** A server that answers every request with the recorded fixtures: JSON, or SSE when streaming. */
export async function startFixtureServer(): Promise<FakeOpenAIServer> {
  const fixture = (name: string) => readFileSync(new URL(`../openai-compatible/__fixtures__/${name}`, import.meta.url), "utf8");
  const server = await startFakeOpenAIServer(JSON.parse(fixture("models.json")));
  server.script((body) => (body.stream ? { sse: fixture("chat-stream.sse") } : { json: JSON.parse(fixture("chat-completion.json")) }));
  return server;
}
