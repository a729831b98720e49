// Splits a server-sent-event byte stream into the `data:` payloads of complete events
// (WHATWG HTML "server-sent events": events end with a blank line; CRLF, LF or CR end lines).
export class SseLineReader {
  private buffer = "";
  private readonly decoder = new TextDecoder();
  private data: string[] = [];

  /** Feeds bytes; returns the data of every event completed by them. */
  push(chunk: Uint8Array): string[] {
    this.buffer += this.decoder.decode(chunk, { stream: true });
    const events: string[] = [];
    let start = 0;
    for (;;) {
      const match = /\r\n|\n|\r/g;
      match.lastIndex = start;
      const found = match.exec(this.buffer);
      // A lone CR at the very end may be the first half of CRLF: wait for more bytes.
      if (!found || (found[0] === "\r" && found.index === this.buffer.length - 1)) break;
      const line = this.buffer.slice(start, found.index);
      start = found.index + found[0].length;
      if (line === "") {
        if (this.data.length > 0) events.push(this.data.join("\n"));
        this.data = [];
      } else if (line.startsWith("data:")) {
        this.data.push(line.slice(line.charAt(5) === " " ? 6 : 5));
      }
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }
}
