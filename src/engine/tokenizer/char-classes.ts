// Character classes of the GPT-2 pre-tokeniser, as llama.cpp defines them (src/unicode.cpp):
// \p{L} letters, \p{N} numbers, and the Unicode White_Space property for \s (which, unlike
// JavaScript's \s, includes U+0085 and excludes U+FEFF). llama.cpp's tables follow Unicode 15.1;
// newer JavaScript engines know letters and digits added in Unicode 16 and 17, listed here so
// that both agree on every code point.
const newerLetters: [number, number][] = [
  [0x88f, 0x88f], [0xc5c, 0xc5c], [0xcdc, 0xcdc], [0x1c89, 0x1c8a], [0xa7cb, 0xa7cf], [0xa7d2, 0xa7d2],
  [0xa7d4, 0xa7d4], [0xa7da, 0xa7dc], [0xa7f1, 0xa7f1], [0x105c0, 0x105f3], [0x10940, 0x10959],
  [0x10d4a, 0x10d65], [0x10d6f, 0x10d85], [0x10ec2, 0x10ec7], [0x11380, 0x11389], [0x1138b, 0x1138b],
  [0x1138e, 0x1138e], [0x11390, 0x113b5], [0x113b7, 0x113b7], [0x113d1, 0x113d1], [0x113d3, 0x113d3],
  [0x11bc0, 0x11be0], [0x11db0, 0x11ddb], [0x13460, 0x143fa], [0x16100, 0x1611d], [0x16d40, 0x16d6c],
  [0x16ea0, 0x16eb8], [0x16ebb, 0x16ed3], [0x16ff2, 0x16ff3], [0x187f8, 0x187ff], [0x18cff, 0x18cff],
  [0x18d09, 0x18d1e], [0x18d80, 0x18df2], [0x1e5d0, 0x1e5ed], [0x1e5f0, 0x1e5f0], [0x1e6c0, 0x1e6de],
  [0x1e6e0, 0x1e6e2], [0x1e6e4, 0x1e6e5], [0x1e6e7, 0x1e6ed], [0x1e6f0, 0x1e6f4], [0x1e6fe, 0x1e6ff],
  [0x2b73a, 0x2b73f], [0x2cea2, 0x2cead], [0x323b0, 0x33479],
];
const newerNumbers: [number, number][] = [
  [0x10d40, 0x10d49], [0x116d0, 0x116e3], [0x11bf0, 0x11bf9], [0x11de0, 0x11de9], [0x16130, 0x16139],
  [0x16d70, 0x16d79], [0x16ff4, 0x16ff6], [0x1ccf0, 0x1ccf9], [0x1e5f1, 0x1e5fa],
];

export const LETTER = 1;
export const NUMBER = 2;
export const WHITESPACE = 4;
export const OTHER = 8;

const inRanges = (cp: number, ranges: [number, number][]) => ranges.some(([a, b]) => cp >= a && cp <= b);
const letter = /\p{L}/u, number = /\p{N}/u, whitespace = /\p{White_Space}/u;

// One byte per code point, filled lazily (0 = not yet classified).
const cache = new Uint8Array(0x110000);

export function charClass(cp: number): number {
  const known = cache[cp];
  if (known) return known;
  const s = String.fromCodePoint(cp);
  let c = OTHER;
  if (letter.test(s) && !inRanges(cp, newerLetters)) c = LETTER;
  else if (number.test(s) && !inRanges(cp, newerNumbers)) c = NUMBER;
  else if (whitespace.test(s)) c = WHITESPACE;
  cache[cp] = c;
  return c;
}
