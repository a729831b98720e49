// Seeded pseudo-random numbers for the engine: xoshiro128** (Blackman & Vigna, 2018) seeded by
// splitmix32, so a seed gives the same stream on every machine. Never Math.random in library code.
export interface Random {
  /** Uniform in [0, 1), 32 bits of randomness. */
  next(): number;
  /** Uniform 32-bit unsigned integer. */
  uint32(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** An independent generator derived from this one (for sub-tasks that must not shift this stream). */
  fork(): Random;
}

/** splitmix32: spreads a 32-bit seed into well-mixed state words. */
function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;

/** @param seed any integer (values beyond 32 bits are folded in) */
export function createRandom(seed: number | bigint): Random {
  const big = BigInt.asUintN(64, BigInt(seed));
  const mix = splitmix32(Number(big & 0xffffffffn) ^ Math.imul(Number(big >> 32n), 0x27d4eb2d));
  const state = new Uint32Array([mix(), mix(), mix(), mix()]);
  if (state.every((w) => w === 0)) state[0] = 1; // the all-zero state is a fixed point
  return xoshiro128StarStar(state);
}

/** The generator over an explicit 128-bit state (4 words, not all zero), advanced in place. */
export function xoshiro128StarStar(s: Uint32Array): Random {
  let spare: number | null = null;

  const uint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s[1]!, 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1]! << 9) >>> 0;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  };
  const next = () => uint32() / 4294967296;
  return {
    uint32,
    next,
    int(n) {
      if (!(n > 0) || n > 4294967296) throw new RangeError(`Random.int needs 0 < n ≤ 2^32, got ${n}`);
      // Rejection sampling removes modulo bias.
      const limit = 4294967296 - (4294967296 % n);
      for (;;) {
        const x = uint32();
        if (x < limit) return x % n;
      }
    },
    normal() {
      if (spare !== null) {
        const v = spare;
        spare = null;
        return v;
      }
      let u = 0;
      while (u === 0) u = next();
      const radius = Math.sqrt(-2 * Math.log(u));
      const angle = 2 * Math.PI * next();
      spare = radius * Math.sin(angle);
      return radius * Math.cos(angle);
    },
    fork() {
      return createRandom((BigInt(uint32()) << 32n) | BigInt(uint32()));
    },
  };
}
