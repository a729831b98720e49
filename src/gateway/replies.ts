// Replies of the chat-completions route before they become Responses: hono's route wraps them
// (toResponse), the Node adapter's fast path writes them to node:http directly (node-chat.ts), so a
// call on that path builds no Response object.

/** A JSON body with its status (and extra headers, e.g. Retry-After). */
export class JsonReply {
  constructor(
    readonly status: number,
    readonly text: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {}

  toResponse(): Response {
    return new Response(this.text, { status: this.status, headers: { "content-type": "application/json", ...this.headers } });
  }
}

/** A stream of server-sent events (chat-stream.ts); cancelling `body` means the client left. */
export class StreamReply {
  constructor(
    readonly headers: Readonly<Record<string, string>>,
    readonly body: ReadableStream<Uint8Array>,
  ) {}

  toResponse(): Response {
    return new Response(this.body, { status: 200, headers: this.headers });
  }
}

export type ChatReply = JsonReply | StreamReply;
