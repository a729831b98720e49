// The Node adapter's fast path for POST /v1/chat/completions: the route reads node:http's request
// directly, and a JSON reply is written as one buffer with its Content-Length, a stream chunk by
// chunk. hono's Node adapter would build a Request, an AbortController with its listeners and a
// Response for every call; on a loopback upstream that was a measurable share of the gateway's
// added latency (BENCHMARKS.md).
import type { IncomingMessage, ServerResponse } from "node:http";
import { GatewayError } from "./errors.js";
import { parseJsonText, tooLarge } from "./http.js";
import { JsonReply, type ChatReply } from "./replies.js";
import type { RequestSource } from "./request-source.js";

const decoder = new TextDecoder();

export function isChatCompletionsCall(req: IncomingMessage): boolean {
  return req.method === "POST" && req.url === "/v1/chat/completions";
}

export function nodeRequestSource(req: IncomingMessage, res: ServerResponse): RequestSource {
  return {
    authorization: req.headers.authorization ?? null,
    json: async (limit) => parseJsonText(await readBody(req, res, limit)),
    onClientGone(abort) {
      // "close" also follows a finished reply; only an unfinished one means the client left.
      res.once("close", () => {
        if (!res.writableFinished) abort();
      });
    },
  };
}

/** At most `limit` bytes (413 beyond: a declared length is checked first, chunked bodies as they
 *  come). After a 413 the connection closes rather than read the rest of an oversized body. */
function readBody(req: IncomingMessage, res: ServerResponse, limit: number): Promise<string> {
  const refuse = () => {
    res.setHeader("connection", "close");
    return tooLarge(limit);
  };
  const declared = req.headers["content-length"];
  if (declared !== undefined && Number(declared) > limit) return Promise.reject(refuse());
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    const onData = (part: Buffer) => {
      size += part.length;
      if (size > limit) {
        req.off("data", onData);
        req.resume();
        reject(refuse());
      } else parts.push(part);
    };
    req.on("data", onData);
    req.once("end", () => resolve(decoder.decode(parts.length === 1 ? parts[0] : Buffer.concat(parts))));
    req.once("error", reject);
    req.once("close", () => {
      if (!req.complete) reject(new GatewayError("CLIENT_CLOSED", "The client closed the connection before sending the whole request.", { status: 499, type: "invalid_request_error" }));
    });
  });
}

export async function writeReply(res: ServerResponse, reply: ChatReply): Promise<void> {
  if (reply instanceof JsonReply) {
    const body = Buffer.from(reply.text);
    res.writeHead(reply.status, { ...reply.headers, "content-type": "application/json", "content-length": body.length });
    res.end(body);
    return;
  }
  // No flushHeaders(): the stream's first event (the role chunk) is ready at once, and the headers
  // leave with it in one write.
  res.writeHead(200, reply.headers);
  await pipeStream(reply.body, res);
}

/** Writes a stream with backpressure; a client that leaves cancels it (the route logs the abort). */
async function pipeStream(body: ReadableStream<Uint8Array>, res: ServerResponse): Promise<void> {
  const reader = body.getReader();
  let gone = false;
  let wake: (() => void) | null = null;
  const onClose = () => {
    if (res.writableFinished) return;
    gone = true;
    reader.cancel().catch(() => undefined);
    wake?.();
  };
  res.on("close", onClose);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || gone) break;
      if (!res.write(value)) {
        await new Promise<void>((resume) => {
          wake = resume;
          res.once("drain", resume);
        });
        wake = null;
        if (gone) break;
      }
    }
    if (!gone) res.end();
  } catch (error) {
    res.destroy(error as Error);
  } finally {
    res.off("close", onClose);
  }
}
