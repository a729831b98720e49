// A minimal OpenAI-compatible upstream on loopback for pass-through tests: fixed answer and usage,
// streamed with include_usage, or scripted faults (status, hang).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeUpstream {
  baseURL: string;
  /** "ok", a status code to answer with, or "hang" (never answer). */
  mode: "ok" | "hang" | number;
  requests: number;
  /** Authorization header of the last request. */
  authorization?: string;
  close(): Promise<void>;
}

export const UPSTREAM_TEXT = "Paris is the capital of France.";
export const UPSTREAM_USAGE = { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 };

export async function startFakeUpstream(): Promise<FakeUpstream> {
  const upstream: FakeUpstream = { baseURL: "", mode: "ok", requests: 0, close: async () => undefined };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      upstream.requests += 1;
      upstream.authorization = request.headers.authorization;
      if (upstream.mode === "hang") return;
      if (typeof upstream.mode === "number") {
        response.writeHead(upstream.mode, { "content-type": "application/json" });
        return response.end(JSON.stringify({ error: { message: "upstream exploded", type: "server_error", param: null, code: null } }));
      }
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { model: string; stream?: boolean };
      const base = { id: "chatcmpl-up", created: 1, model: body.model, system_fingerprint: null };
      if (!body.stream) {
        response.writeHead(200, { "content-type": "application/json" });
        const choice = { index: 0, message: { role: "assistant", content: UPSTREAM_TEXT }, logprobs: null, finish_reason: "stop" };
        return response.end(JSON.stringify({ ...base, object: "chat.completion", choices: [choice], usage: UPSTREAM_USAGE }));
      }
      response.writeHead(200, { "content-type": "text/event-stream" });
      const chunk = (choices: unknown[], usage: unknown = null) => `data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", choices, usage })}\n\n`;
      response.write(chunk([{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }]));
      for (const word of UPSTREAM_TEXT.split(/(?= )/)) response.write(chunk([{ index: 0, delta: { content: word }, finish_reason: null }]));
      response.write(chunk([{ index: 0, delta: {}, finish_reason: "stop" }]));
      response.write(chunk([], UPSTREAM_USAGE));
      response.end("data: [DONE]\n\n");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  upstream.baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  upstream.close = () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())));
  return upstream;
}
