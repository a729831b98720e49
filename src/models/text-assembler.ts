// Turns generated token ids into text deltas: never emits half a UTF-8 character, and never emits
// text that could still turn out to be the start of a stop sequence.
import type { Tokenizer } from "./spec.js";

export class TextAssembler {
  private readonly ids: number[] = [];
  private emitted = 0;
  private done = false;

  constructor(
    private readonly tokenizer: Tokenizer,
    private readonly stops: string[],
  ) {}

  /** Adds a token; returns the text now safe to emit and whether a stop sequence was reached. */
  push(token: number): { text: string; stopped: boolean } {
    this.ids.push(token);
    const text = this.tokenizer.decode(this.ids);
    for (const stop of this.stops) {
      const at = stop ? text.indexOf(stop, Math.max(0, this.emitted - stop.length)) : -1;
      if (at >= 0) {
        this.done = true;
        return { text: this.take(text.slice(0, at)), stopped: true };
      }
    }
    let safe = text.endsWith("\uFFFD") ? text.slice(0, text.lastIndexOf("\uFFFD")) : text;
    safe = safe.slice(0, safe.length - this.pendingStopPrefix(safe));
    return { text: this.take(safe), stopped: false };
  }

  /**
   * Whatever was held back, once generation has ended without a stop sequence. A character whose
   * bytes were cut off (max_tokens reached mid-character) is dropped rather than sent as U+FFFD.
   */
  flush(): string {
    if (this.done) return "";
    const text = this.tokenizer.decode(this.ids);
    return this.take(text.replace(/\uFFFD+$/u, ""));
  }

  private take(upTo: string): string {
    if (upTo.length <= this.emitted) return "";
    const piece = upTo.slice(this.emitted);
    this.emitted = upTo.length;
    return piece;
  }

  /** Length of the longest suffix of text that is a proper prefix of some stop sequence. */
  private pendingStopPrefix(text: string): number {
    let longest = 0;
    for (const stop of this.stops) {
      for (let n = Math.min(stop.length - 1, text.length); n > longest; n--) {
        if (text.endsWith(stop.slice(0, n))) {
          longest = n;
          break;
        }
      }
    }
    return longest;
  }
}
