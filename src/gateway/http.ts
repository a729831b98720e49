// Small HTTP helpers shared by the routes: JSON replies, OpenAI-style error replies, bounded bodies.
import { GatewayError, badRequest } from "./errors.js";
import { JsonReply } from "./replies.js";

const JSON_HEADERS = { "content-type": "application/json" };

export function jsonResponse(data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(data), { status, headers: { ...JSON_HEADERS, ...headers } });
}

/** Any thrown value as `{"error":{"message","type","param","code"}}` with its status. */
export function errorResponse(error: unknown, onInternal?: (error: unknown) => void): Response {
  return errorReply(error, onInternal).toResponse();
}

export function errorReply(error: unknown, onInternal?: (error: unknown) => void): JsonReply {
  if (GatewayError.isInstance(error)) {
    const headers: Record<string, string> = error.retryAfter !== undefined ? { "retry-after": String(Math.max(1, Math.ceil(error.retryAfter))) } : {};
    return new JsonReply(error.status, JSON.stringify(error.toJSON()), headers);
  }
  onInternal?.(error);
  return new JsonReply(500, JSON.stringify(new GatewayError("INTERNAL_ERROR", "The gateway failed while handling this request; see its log.", { status: 500, type: "server_error" }).toJSON()));
}

export function tooLarge(limit: number): GatewayError {
  return new GatewayError("REQUEST_TOO_LARGE", `The request body is larger than the gateway's limit of ${limit} bytes.`, { status: 413, type: "invalid_request_error" });
}

/** Reads at most `limit` bytes (413 beyond that) and parses them as JSON (400 when malformed). */
export async function readJsonBody(request: Request, limit: number): Promise<unknown> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) throw tooLarge(limit);
  // With a declared length (already checked, and enforced by the HTTP parser) text() is bounded and
  // lets the Node adapter read the body directly; chunked bodies are counted as they arrive.
  return parseJsonText(declared !== null ? await request.text() : await readBounded(request, limit));
}

export function parseJsonText(text: string): unknown {
  if (text.length === 0) throw badRequest("INVALID_JSON", "The request has no body; send a JSON object.");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest("INVALID_JSON", `The request body is not valid JSON: ${(error as Error).message}`);
  }
}

async function readBounded(request: Request, limit: number): Promise<string> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size).toString("utf8");
}

export function bearerToken(request: Request): string | null {
  return bearerFromHeader(request.headers.get("authorization"));
}

export function bearerFromHeader(header: string | null | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1]! : null;
}
