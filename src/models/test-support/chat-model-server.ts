// Serves any ChatModel over OpenAI's chat-completions wire format (JSON, or SSE with include_usage)
// on loopback, so the OpenAI-compatible adapter can run the deterministic half of the ChatModel
// suite against a real, seeded model: a tiny GGUF on the engine.
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { ChatModel, ChatRequest, FinishReason, TokenLogprob, Usage } from "../spec.js";
import type { WireRequest } from "../openai-compatible/wire.js";

export interface ChatModelServer {
  baseURL: string;
  /** Request bodies, in order. */
  requests: WireRequest[];
  close(): Promise<void>;
}

const wireFinish = (reason: FinishReason) => (reason === "length" ? "length" : "stop");
const wireUsage = (usage: Usage) => ({ prompt_tokens: usage.promptTokens, completion_tokens: usage.completionTokens, total_tokens: usage.totalTokens });
const wireLogprobs = (logprobs: TokenLogprob[] | undefined) =>
  logprobs ? { content: logprobs.map((entry) => ({ token: entry.token, logprob: entry.logprob, bytes: null, top_logprobs: entry.top.map((alt) => ({ token: alt.token, logprob: alt.logprob, bytes: null })) })) } : null;

function toChatRequest(body: WireRequest): ChatRequest {
  return {
    messages: body.messages,
    maxTokens: body.max_tokens,
    temperature: body.temperature,
    topP: body.top_p,
    seed: body.seed,
    stop: body.stop,
    logprobs: body.logprobs,
    topLogprobs: body.top_logprobs,
  };
}

export async function serveChatModel(model: ChatModel): Promise<ChatModelServer> {
  const requests: WireRequest[] = [];
  const server: Server = createServer((request, response) => {
    const parts: Buffer[] = [];
    request.on("data", (part: Buffer) => parts.push(part));
    request.on("end", () => {
      const body = JSON.parse(Buffer.concat(parts).toString("utf8")) as WireRequest;
      requests.push(body);
      answer(model, body, response).catch((error: Error) => {
        if (response.headersSent) return response.destroy();
        response.writeHead(500, { "content-type": "application/json" });
        response.end(JSON.stringify({ error: { message: error.message, type: "server_error", code: null } }));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

async function answer(model: ChatModel, body: WireRequest, response: ServerResponse): Promise<void> {
  const base = { id: "chatcmpl-local", created: 1, model: body.model, system_fingerprint: null };
  if (!body.stream) {
    const result = await model.generate(toChatRequest(body));
    const choice = { index: 0, message: { role: "assistant", content: result.text }, logprobs: wireLogprobs(result.logprobs), finish_reason: wireFinish(result.finishReason) };
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ ...base, object: "chat.completion", choices: [choice], usage: wireUsage(result.usage) }));
    return;
  }
  const chunk = (choices: unknown[], usage: unknown = null) => `data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", choices, usage })}\n\n`;
  response.writeHead(200, { "content-type": "text/event-stream" });
  response.write(chunk([{ index: 0, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null }]));
  for await (const delta of model.stream(toChatRequest(body))) {
    if (delta.text || delta.logprobs) response.write(chunk([{ index: 0, delta: { content: delta.text }, logprobs: wireLogprobs(delta.logprobs), finish_reason: null }]));
    if (delta.finishReason) {
      response.write(chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: wireFinish(delta.finishReason) }]));
      if (body.stream_options?.include_usage && delta.usage) response.write(chunk([], wireUsage(delta.usage)));
    }
  }
  response.end("data: [DONE]\n\n");
}
