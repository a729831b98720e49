// Windows a suspect may have copied from its prompt, found by text as well as by token id. A prompt
// that quotes a served answer need not tokenise it the same way (a byte-level BPE gives "The" at the
// start of an answer and " The" after other words), so the detector's id-based prompt skip can miss
// a quoted window; a suspect that copies the text would then predict the key's choice at that window
// and an innocent model could be accused. A position is skipped when the text of its window, each
// token's text stripped of surrounding whitespace, occurs as a window of the prompt's tokens.
// The rule reads only the texts, never a score, so the tests stay exact; it costs a few positions.
const SEPARATOR = "\u0000";

export interface WindowText {
  /** Text of one token of the teacher's tokenizer. */
  tokenText: (id: number) => string;
  /** Watermark context width h. */
  context: number;
}

function windowKey(ids: ArrayLike<number>, end: number, text: WindowText, cache: Map<number, string>): string {
  const parts: string[] = [];
  for (let k = end - text.context; k < end; k++) {
    const id = ids[k]!;
    let part = cache.get(id);
    if (part === undefined) {
      part = text.tokenText(id).trim();
      cache.set(id, part);
    }
    parts.push(part);
  }
  return parts.join(SEPARATOR);
}

/** skip[i] is true when the window before position i of `ids` occurs, by text, in the prompt. */
export function quotedWindowMask(ids: ArrayLike<number>, prompt: ArrayLike<number>, text: WindowText): boolean[] {
  const cache = new Map<number, string>();
  const quoted = new Set<string>();
  for (let end = text.context; end <= prompt.length; end++) quoted.add(windowKey(prompt, end, text, cache));
  const skip = new Array<boolean>(ids.length).fill(false);
  if (quoted.size === 0) return skip;
  for (let i = text.context; i < ids.length; i++) skip[i] = quoted.has(windowKey(ids, i, text, cache));
  return skip;
}
