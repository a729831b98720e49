// HalfSipHash (Aumasson & Bernstein, the 32-bit member of the SipHash family) over 32-bit words,
// 32-bit output. Only add/rotate/xor on 32-bit integers, so results are identical on every platform
// and fast in JavaScript (no BigInt). Messages here are whole little-endian words, so the final block
// is just the byte length in the top byte.

/** HalfSipHash-c-d of `words` (a message of 4·words.length bytes) under the 64-bit key (k0, k1). */
export function halfSipHash(k0: number, k1: number, words: ArrayLike<number>, cRounds = 1, dRounds = 3): number {
  let v0 = k0 | 0;
  let v1 = k1 | 0;
  let v2 = 0x6c796765 ^ k0;
  let v3 = 0x74656462 ^ k1;
  const absorb = (m: number, rounds: number): void => {
    v3 ^= m;
    for (let r = 0; r < rounds; r++) {
      v0 = (v0 + v1) | 0; v1 = (v1 << 5) | (v1 >>> 27); v1 ^= v0; v0 = (v0 << 16) | (v0 >>> 16);
      v2 = (v2 + v3) | 0; v3 = (v3 << 8) | (v3 >>> 24); v3 ^= v2;
      v0 = (v0 + v3) | 0; v3 = (v3 << 7) | (v3 >>> 25); v3 ^= v0;
      v2 = (v2 + v1) | 0; v1 = (v1 << 13) | (v1 >>> 19); v1 ^= v2; v2 = (v2 << 16) | (v2 >>> 16);
    }
    v0 ^= m;
  };
  for (let i = 0; i < words.length; i++) absorb(words[i] | 0, cRounds);
  absorb(((4 * words.length) & 0xff) << 24, cRounds);
  v2 ^= 0xff;
  absorb(0, dRounds);
  return (v1 ^ v3) >>> 0;
}

/**
 * The watermark PRF: HalfSipHash-1-3 (the kernel's hsiphash parameters) of the two-word message
 * (context, token), inlined for the hot loops. Equal to halfSipHash(k0, k1, [context, token], 1, 3).
 */
export function prf2(k0: number, k1: number, context: number, token: number): number {
  let v0 = k0 | 0;
  let v1 = k1 | 0;
  let v2 = 0x6c796765 ^ k0;
  let v3 = (0x74656462 ^ k1) ^ context;
  // word 1: context
  v0 = (v0 + v1) | 0; v1 = (v1 << 5) | (v1 >>> 27); v1 ^= v0; v0 = (v0 << 16) | (v0 >>> 16);
  v2 = (v2 + v3) | 0; v3 = (v3 << 8) | (v3 >>> 24); v3 ^= v2;
  v0 = (v0 + v3) | 0; v3 = (v3 << 7) | (v3 >>> 25); v3 ^= v0;
  v2 = (v2 + v1) | 0; v1 = (v1 << 13) | (v1 >>> 19); v1 ^= v2; v2 = (v2 << 16) | (v2 >>> 16);
  v0 ^= context;
  // word 2: token
  v3 ^= token;
  v0 = (v0 + v1) | 0; v1 = (v1 << 5) | (v1 >>> 27); v1 ^= v0; v0 = (v0 << 16) | (v0 >>> 16);
  v2 = (v2 + v3) | 0; v3 = (v3 << 8) | (v3 >>> 24); v3 ^= v2;
  v0 = (v0 + v3) | 0; v3 = (v3 << 7) | (v3 >>> 25); v3 ^= v0;
  v2 = (v2 + v1) | 0; v1 = (v1 << 13) | (v1 >>> 19); v1 ^= v2; v2 = (v2 << 16) | (v2 >>> 16);
  v0 ^= token;
  // final block: length 8 in the top byte
  v3 ^= 0x08000000;
  v0 = (v0 + v1) | 0; v1 = (v1 << 5) | (v1 >>> 27); v1 ^= v0; v0 = (v0 << 16) | (v0 >>> 16);
  v2 = (v2 + v3) | 0; v3 = (v3 << 8) | (v3 >>> 24); v3 ^= v2;
  v0 = (v0 + v3) | 0; v3 = (v3 << 7) | (v3 >>> 25); v3 ^= v0;
  v2 = (v2 + v1) | 0; v1 = (v1 << 13) | (v1 >>> 19); v1 ^= v2; v2 = (v2 << 16) | (v2 >>> 16);
  v0 ^= 0x08000000;
  v2 ^= 0xff;
  for (let r = 0; r < 3; r++) {
    v0 = (v0 + v1) | 0; v1 = (v1 << 5) | (v1 >>> 27); v1 ^= v0; v0 = (v0 << 16) | (v0 >>> 16);
    v2 = (v2 + v3) | 0; v3 = (v3 << 8) | (v3 >>> 24); v3 ^= v2;
    v0 = (v0 + v3) | 0; v3 = (v3 << 7) | (v3 >>> 25); v3 ^= v0;
    v2 = (v2 + v1) | 0; v1 = (v1 << 13) | (v1 >>> 19); v1 ^= v2; v2 = (v2 << 16) | (v2 >>> 16);
  }
  return (v1 ^ v3) >>> 0;
}

/** Unkeyed 32-bit fold of a token window (murmur3 fmix steps): the context word for h > 1. */
export function mixWindow(ids: ArrayLike<number>, start: number, end: number): number {
  let h = 0x9e3779b9 ^ (end - start);
  for (let i = start; i < end; i++) {
    h = Math.imul(h ^ ids[i], 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}
