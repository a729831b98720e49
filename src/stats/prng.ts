// A seeded PRNG: xoshiro128** (Blackman & Vigna) seeded through splitmix32. 32-bit integer
// operations only, so the same seed gives the same stream on every platform.
export interface Prng {
  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number;
  /** Uniform double in [0, 1) with 53 random bits. */
  next(): number;
  /** Uniform integer in [0, n), without modulo bias. */
  int(n: number): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** n random bytes. */
  bytes(n: number): Uint8Array;
  /** Fisher–Yates shuffle in place. */
  shuffle<T>(items: T[]): T[];
  /** An independent generator derived from this one (for parallel streams). */
  fork(): Prng;
}

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** FNV-1a over UTF-16 code units: a string seed becomes a 32-bit number. */
function hashSeed(seed: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export function createPrng(seed: number | string): Prng {
  const seedNumber = typeof seed === "string" ? hashSeed(seed) : (seed ^ Math.floor(seed / 0x100000000)) >>> 0;
  const mix = splitmix32(seedNumber);
  let a = mix(), b = mix(), c = mix(), d = mix();
  if ((a | b | c | d) === 0) a = 1;
  let spareNormal: number | null = null;

  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a; d ^= b; b ^= c; a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
  const next = (): number => ((nextUint32() >>> 5) * 67108864 + (nextUint32() >>> 6)) / 9007199254740992;

  const prng: Prng = {
    nextUint32,
    next,
    int(n) {
      if (!(n >= 1) || n > 0x100000000) throw new RangeError(`int(n) needs 1 <= n <= 2^32, got ${n}`);
      const limit = 0x100000000 - (0x100000000 % n);
      for (;;) {
        const x = nextUint32();
        if (x < limit) return x % n;
      }
    },
    normal() {
      if (spareNormal !== null) {
        const value = spareNormal;
        spareNormal = null;
        return value;
      }
      const u = 1 - next();
      const v = next();
      const radius = Math.sqrt(-2 * Math.log(u));
      spareNormal = radius * Math.sin(2 * Math.PI * v);
      return radius * Math.cos(2 * Math.PI * v);
    },
    bytes(n) {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i += 4) {
        const x = nextUint32();
        for (let j = 0; j < 4 && i + j < n; j++) out[i + j] = (x >>> (8 * j)) & 0xff;
      }
      return out;
    },
    shuffle(items) {
      for (let i = items.length - 1; i > 0; i--) {
        const j = prng.int(i + 1);
        const tmp = items[i];
        items[i] = items[j];
        items[j] = tmp;
      }
      return items;
    },
    fork() {
      return createPrng((nextUint32() ^ Math.imul(nextUint32(), 0x9e3779b1)) >>> 0);
    },
  };
  return prng;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
