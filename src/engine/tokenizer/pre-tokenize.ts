// GPT-2 pre-tokenisation: splits text into the pieces BPE merges never cross, matching llama.cpp's
// hand-written matcher for pre = "gpt-2" (unicode_regex_split_custom_gpt2) of the regex
//   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
// Contractions are case-sensitive; a lone surrogate becomes U+FFFD, as UTF-8 encoding makes it.
import { charClass, LETTER, NUMBER, OTHER, WHITESPACE } from "./char-classes.js";

const APOSTROPHE = 0x27, SPACE = 0x20;

const loneSurrogate = /\p{Surrogate}/u; // in u-mode only unpaired halves match

export function preTokenize(input: string): string[] {
  const text = loneSurrogate.test(input) ? input.replace(/\p{Surrogate}/gu, "\ufffd") : input;
  // Code points and where each starts in the string (one extra entry for the end).
  const cps = new Uint32Array(text.length);
  const at = new Uint32Array(text.length + 1);
  let n = 0;
  for (let i = 0; i < text.length; n++) {
    const cp = text.codePointAt(i)!;
    cps[n] = cp;
    at[n] = i;
    i += cp > 0xffff ? 2 : 1;
  }
  at[n] = text.length;
  const cls = (i: number) => (i < n ? charClass(cps[i]!) : 0); // 0: past the end
  const pieces: string[] = [];
  let start = 0;
  const cut = (end: number) => {
    if (end > start) pieces.push(text.slice(at[start], at[end]));
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
