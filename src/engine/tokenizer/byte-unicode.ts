// GPT-2's byte-level alphabet (openai/gpt-2 encoder.py bytes_to_unicode): every byte maps to one
// printable Unicode character, so token texts are strings with no spaces or control characters.
// Printable Latin-1 bytes map to themselves; the other 68 bytes map to U+0100 onwards, in order.
function buildByteToChar(): string[] {
  const printable = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  const table: string[] = [];
  let next = 256;
  for (let b = 0; b < 256; b++) table.push(String.fromCodePoint(printable(b) ? b : next++));
  return table;
}

export const byteToChar: readonly string[] = buildByteToChar();

export const charToByte: ReadonlyMap<string, number> = new Map(byteToChar.map((c, b) => [c, b]));

const encoder = new TextEncoder();

/** UTF-8 bytes of `text`, each replaced by its byte-level character. */
export function byteEncode(text: string): string {
  let out = "";
  for (const b of encoder.encode(text)) out += byteToChar[b];
  return out;
}

/** The bytes a byte-level token text stands for; undefined when it contains a foreign character. */
export function byteDecode(tokenText: string): number[] | undefined {
  const bytes: number[] = [];
  for (const c of tokenText) {
    const b = charToByte.get(c);
    if (b === undefined) return undefined;
    bytes.push(b);
  }
  return bytes;
}
