// The project's one seeded PRNG: xoshiro128** 1.1 (Blackman & Vigna, 2018) seeded through splitmix32.
// 32-bit integer operations only, so a seed gives the same stream on every platform. The precision
// of a uniform draw is explicit in its name: uniform32 takes one step (the engine's sampling and
// training use it, and the shipped models were built with it), uniform53 takes two and fills a
// double's 53-bit mantissa (statistics that need fine tails).
import { RandomError } from "./errors.js";
import { foldSeed, stateFromSeed } from "./seed.js";

export interface Random {
  /** Uniform 32-bit unsigned integer: one step of the generator. */
  uint32(): number;
  /** Uniform in [0, 1) on the grid k·2^-32: one step. */
  uniform32(): number;
  /** Uniform in [0, 1) on the grid k·2^-53: two steps. */
  uniform53(): number;
  /** Uniform integer in [0, n) for 0 < n ≤ 2^32, without modulo bias (rejection sampling). */
  int(n: number): number;
  /** Standard normal (Box–Muller on uniform32 draws; each pair's second value is returned next). */
  normal(): number;
  /** n random bytes, four per step, low byte first. */
  bytes(n: number): Uint8Array;
  /** Fisher–Yates shuffle in place; returns the same array. */
  shuffle<T>(items: T[]): T[];
  /** An independent generator seeded from two steps of this one (sub-tasks that must not shift this stream). */
  fork(): Random;
}

/** @param seed any integer (wider than 32 bits is folded in) or a string (hashed) */
export function createRandom(seed: number | bigint | string): Random {
  return xoshiro128StarStar(stateFromSeed(foldSeed(seed)));
}

const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;

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
  const uniform32 = () => uint32() / 4294967296;
  const int = (n: number): number => {
    if (!(n > 0) || n > 4294967296 || !Number.isInteger(n)) throw new RandomError("RANDOM_BAD_ARGUMENT", `Random.int needs an integer 0 < n ≤ 2^32, got ${n}`);
    const limit = 4294967296 - (4294967296 % n);
    for (;;) {
      const x = uint32();
      if (x < limit) return x % n;
    }
  };

  return {
    uint32,
    uniform32,
    uniform53: () => ((uint32() >>> 5) * 67108864 + (uint32() >>> 6)) / 9007199254740992,
    int,
    normal() {
      if (spare !== null) {
        const v = spare;
        spare = null;
        return v;
      }
      let u = 0;
      while (u === 0) u = uniform32();
      const radius = Math.sqrt(-2 * Math.log(u));
      const angle = 2 * Math.PI * uniform32();
      spare = radius * Math.sin(angle);
      return radius * Math.cos(angle);
    },
    bytes(n) {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i += 4) {
        const x = uint32();
        for (let j = 0; j < 4 && i + j < n; j++) out[i + j] = (x >>> (8 * j)) & 0xff;
      }
      return out;
    },
    shuffle(items) {
      for (let i = items.length - 1; i > 0; i--) {
        const j = int(i + 1);
        const held = items[i]!;
        items[i] = items[j]!;
        items[j] = held;
      }
      return items;
    },
    fork() {
      return createRandom((BigInt(uint32()) << 32n) | BigInt(uint32()));
    },
  };
}
