// The SSE reader of the node:http transport: the same events however the bytes are split.
import { describe, expect, it } from "vitest";
import { SseLineReader } from "./sse-reader.js";

describe("SseLineReader", () => {
  it("yields the same events however the bytes are split", () => {
    const text = 'data: {"a":1}\n\ndata: {"b":\r\ndata: 2}\r\n\r\n: comment\n\ndata: [DONE]\n\n';
    const bytes = Buffer.from(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      const reader = new SseLineReader();
      const events = [...reader.push(bytes.subarray(0, cut)), ...reader.push(bytes.subarray(cut))];
      expect(events).toEqual(['{"a":1}', '{"b":\n2}', "[DONE]"]);
    }
  });
});
