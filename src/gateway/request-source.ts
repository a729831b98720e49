// What the chat-completions route reads of a request, so it runs both behind hono (a fetch-style
// Request) and on the Node adapter's fast path (node:http's own objects, no Request or Response
// built; node-chat.ts).
import { readJsonBody } from "./http.js";

export interface RequestSource {
  /** The Authorization header, or null. */
  readonly authorization: string | null;
  /** The body parsed as JSON: 413 beyond `limit` bytes, 400 when empty or malformed. */
  json(limit: number): Promise<unknown>;
  /** Registers `abort`, called if the client disconnects before its reply is complete. */
  onClientGone(abort: () => void): void;
}

export function requestSource(request: Request): RequestSource {
  return {
    authorization: request.headers.get("authorization"),
    json: (limit) => readJsonBody(request, limit),
    onClientGone: (abort) => request.signal.addEventListener("abort", abort, { once: true }),
  };
}
