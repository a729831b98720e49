// Text features with no download: feature hashing (Weinberger et al., "Feature Hashing for Large
// Scale Multitask Learning", ICML 2009) of word uni/bigrams and character 3-grams into a fixed
// vector, and MinHash band keys (Broder 1997; banding as in Leskovec, Rajaraman & Ullman, ch. 3.4)
// of word 3-grams for template collisions. A hashed embedding costs microseconds per query, is the
// same on every machine and for every served model (black-box upstreams have no hidden states).
export const EMBEDDING_DIMENSIONS = 256;
const MINHASH_BANDS = 8;
const MINHASH_ROWS = 3;

/** FNV-1a over a string, finished with murmur3's fmix32. */
export function hashString(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return fmix32(h);
}

export function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

const ASCII = /^[\x00-\x7f]*$/;

export function words(text: string): string[] {
  const lower = text.toLowerCase();
  // Most traffic is ASCII: the Unicode-aware path (NFKC, property classes) costs several times more.
  if (ASCII.test(lower)) return lower.match(/[a-z0-9]+|[^\sa-z0-9]/g) ?? [];
  return lower.normalize("NFKC").match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu) ?? [];
}

const WORD_SALT = 0x2545f491;
const BIGRAM_SALT = 0x68e31da4;
const CHAR_SALT = 0xb5297a4d;
const SALTS = Array.from({ length: MINHASH_BANDS * MINHASH_ROWS }, (_, i) => fmix32((i + 1) * 0x9e3779b1));

/** Hashes of the words (no strings built per feature: this runs on every exchange). */
export function wordHashes(tokens: readonly string[]): Uint32Array {
  return Uint32Array.from(tokens, (token) => hashString(token));
}

/** L2-normalised hashed embedding; the hash's top bit picks a sign so collisions cancel on average. */
export function embed(text: string, out = new Float32Array(EMBEDDING_DIMENSIONS), tokens = words(text), hashes = wordHashes(tokens)): Float32Array {
  out.fill(0);
  const add = (h: number, weight: number) => {
    out[h % EMBEDDING_DIMENSIONS]! += h & 0x80000000 ? -weight : weight;
  };
  for (let i = 0; i < hashes.length; i++) {
    add(fmix32(hashes[i]! ^ WORD_SALT), 1);
    if (i > 0) add(fmix32(Math.imul(hashes[i - 1]!, 0x85ebca77) ^ hashes[i]! ^ BIGRAM_SALT), 0.7);
  }
  const flat = ` ${tokens.join(" ")} `;
  for (let i = 0; i + 3 <= flat.length; i++) {
    const code = Math.imul(flat.charCodeAt(i), 0x9e3779b1) ^ Math.imul(flat.charCodeAt(i + 1), 0x85ebca77) ^ flat.charCodeAt(i + 2);
    add(fmix32(code ^ CHAR_SALT), 0.3);
  }
  let norm = 0;
  for (let i = 0; i < out.length; i++) norm += out[i]! * out[i]!;
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < out.length; i++) out[i]! *= scale;
  return out;
}

/**
 * A template's frame: its first FRAME_WORDS words, keyed when the prompt is at least twice as long
 * (so the frame is part of the prompt, not all of it). A short preamble before long questions leaves
 * the MinHash bands to the questions, and one template's prompts then fall into several groups; the
 * frame key joins them. Only the opening: most wrappers put the question last, and a closing frame
 * would be the question's own words, joining two templates that happen to carry one question.
 */
const FRAME_WORDS = 8;
const FRAME_SALT = 0x7feb352d;

/** The prompt's frame key, or null for a prompt shorter than twice the frame. */
export function frameKey(hashes: Uint32Array): number | null {
  if (hashes.length < 2 * FRAME_WORDS) return null;
  let key = FRAME_SALT;
  for (let i = 0; i < FRAME_WORDS; i++) key = fmix32(Math.imul(key, 31) ^ hashes[i]!);
  return key;
}

/**
 * MinHash band keys of the prompt's word 3-grams: two prompts share a key with probability
 * 1 − (1 − J³)⁸ for Jaccard similarity J (0.57 at J = 0.5, 0.99 at J = 0.8), so prompts cut from one
 * template collide while unrelated prompts almost never do. Then the frame key, if any.
 */
export function bandKeys(text: string, hashes = wordHashes(words(text)), frame = frameKey(hashes)): number[] {
  const shingles: number[] = [];
  if (hashes.length < 3) shingles.push(fmix32((hashes[0] ?? 0) ^ Math.imul(hashes[1] ?? 0, 0x85ebca77)));
  for (let i = 0; i + 3 <= hashes.length; i++) shingles.push(fmix32(hashes[i]! ^ Math.imul(hashes[i + 1]!, 0x85ebca77) ^ Math.imul(hashes[i + 2]!, 0xc2b2ae35)));
  const keys: number[] = [];
  for (let band = 0; band < MINHASH_BANDS; band++) {
    let key = band + 1;
    for (let row = 0; row < MINHASH_ROWS; row++) {
      const salt = SALTS[band * MINHASH_ROWS + row]!;
      let min = 0xffffffff;
      for (const shingle of shingles) {
        const value = fmix32(shingle ^ salt);
        if (value < min) min = value;
      }
      key = fmix32(Math.imul(key, 31) + min);
    }
    keys.push(key);
  }
  if (frame !== null) keys.push(frame);
  return keys;
}

const ELICITATION = [
  /step[- ]by[- ]step/, /\bshow (all )?(your|the) (work|reasoning|steps)\b/, /\bthink (carefully|through|aloud)\b/,
  /\bchain[- ]of[- ]thought\b/, /\breason(ing)? (it )?(out|through)\b/, /\bexplain your reasoning\b/, /\bbefore (you )?answer(ing)?\b/,
  /\bwhat is your (name|model)\b/, /\bwho (made|built|created|trained) you\b/, /\bwhich (company|model|lab)\b.*\byou\b/, /\bare you (gpt|claude|an ai)\b/, /\bsystem prompt\b/,
];

/** Chain-of-thought or identity elicitation phrases (Anthropic, 23 Feb 2026: a campaign signal). */
export function elicits(text: string): boolean {
  const lower = text.toLowerCase();
  return ELICITATION.some((pattern) => pattern.test(lower));
}
