// Text normalisation and shingling for duplicate detection: lower case, NFKC, whitespace collapsed;
// character k-grams (robust to small edits) or word k-grams (cheaper on long texts).
export type ShingleKind = "char" | "word";

export function normalizeText(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
}

/** Distinct shingles of the normalised text; a text shorter than k is one shingle. */
export function shingles(text: string, kind: ShingleKind, size: number): Set<string> {
  const normalized = normalizeText(text);
  const out = new Set<string>();
  if (kind === "char") {
    if (normalized.length <= size) out.add(normalized);
    else for (let i = 0; i + size <= normalized.length; i++) out.add(normalized.slice(i, i + size));
  } else {
    const words = normalized.split(" ").filter((word) => word !== "");
    if (words.length <= size) out.add(words.join(" "));
    else for (let i = 0; i + size <= words.length; i++) out.add(words.slice(i, i + size).join(" "));
  }
  return out;
}

/** The shingles as sorted, distinct 32-bit hashes: compact, and Jaccard becomes a merge. */
export function shingleHashes(text: string, kind: ShingleKind, size: number, seed: number): Uint32Array {
  const set = shingles(text, kind, size);
  const hashes = new Uint32Array(set.size);
  let i = 0;
  for (const shingle of set) hashes[i++] = murmur3(shingle, seed);
  hashes.sort();
  let distinct = 0;
  for (let j = 0; j < hashes.length; j++) if (j === 0 || hashes[j] !== hashes[j - 1]) hashes[distinct++] = hashes[j]!;
  return hashes.subarray(0, distinct);
}

/** Jaccard similarity of two sorted arrays of distinct values. */
export function sortedJaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 && b.length === 0) return 1;
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) shared++, i++, j++;
    else if (a[i]! < b[j]!) i++;
    else j++;
  }
  return shared / (a.length + b.length - shared);
}

export function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const item of small) if (large.has(item)) shared++;
  return shared / (a.size + b.size - shared);
}

/** MurmurHash3 x86_32 of a UTF-16 string's code units (Appleby); seeds give independent hashes. */
export function murmur3(text: string, seed = 0): number {
  let h = seed >>> 0;
  const length = text.length;
  let i = 0;
  for (; i + 1 < length; i += 2) {
    let k = (text.charCodeAt(i) & 0xffff) | ((text.charCodeAt(i + 1) & 0xffff) << 16);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  if (i < length) {
    let k = text.charCodeAt(i) & 0xffff;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
  }
  h ^= length * 2;
  return fmix32(h);
}

/** MurmurHash3's finaliser: a bijection on 32-bit integers with full avalanche. */
export function fmix32(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
