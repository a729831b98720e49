// GPT-2 pre-tokenisation: splits text into the pieces BPE merges never cross, matching llama.cpp's
// hand-written matcher for pre = "gpt-2" (unicode_regex_split_custom_gpt2) of the regex
//   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
// Contractions are case-sensitive; a lone surrogate becomes U+FFFD as in UTF-8 encoding.
import { charClass, LETTER, NUMBER, OTHER, WHITESPACE } from "./char-classes.js";

const APOSTROPHE = 0x27, SPACE = 0x20;

/** Code points, with lone surrogates replaced by U+FFFD (what UTF-8 encoding does to them). */
function codePoints(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    out.push(cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp);
  }
  return out;
}

function slicer(cps: number[]): (start: number, end: number) => string {
  return (start, end) => {
    let s = "";
    for (let i = start; i < end; i += 4096) s += String.fromCodePoint(...cps.slice(i, Math.min(end, i + 4096)));
    return s;
  };
}

export function preTokenize(text: string): string[] {
  const cps = codePoints(text);
  const n = cps.length;
  const slice = slicer(cps);
  const cls = (i: number) => (i < n ? charClass(cps[i]!) : 0); // 0: past the end
  const pieces: string[] = [];
  let start = 0;
  const cut = (end: number) => {
    if (end > start) pieces.push(slice(start, end));
    start = end;
  };
  let pos = 0;
  while (pos < n) {
    const cp = cps[pos]!;
    if (cp === APOSTROPHE && pos + 1 < n) {
      const a = cps[pos + 1], b = cps[pos + 2];
      if (a === 0x73 || a === 0x74 || a === 0x6d || a === 0x64) { // 's 't 'm 'd
        cut((pos += 2));
        continue;
      }
      if (pos + 2 < n && ((a === 0x72 && b === 0x65) || (a === 0x76 && b === 0x65) || (a === 0x6c && b === 0x6c))) { // 're 've 'll
        cut((pos += 3));
        continue;
      }
    }
    const lead = cp === SPACE ? cls(pos + 1) : cls(pos);
    if (lead === LETTER || lead === NUMBER || lead === OTHER) {
      if (cp === SPACE) pos++;
      while (cls(pos) === lead) pos++;
      cut(pos);
      continue;
    }
    let spaces = 0;
    while (cls(pos + spaces) === WHITESPACE) spaces++;
    if (spaces > 1 && pos + spaces < n) pos += spaces - 1; // \s+(?!\S): leave one for the next word
    else if (spaces > 0) pos += spaces;
    else pos++;
    cut(pos);
  }
  return pieces;
}
