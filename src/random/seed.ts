// Seeds to generator state. Any integer (number or bigint) or string names one stream; values below
// 2^32 are used as they are, wider ones are folded to 32 bits, strings are hashed with FNV-1a.
// splitmix32 then spreads the 32-bit seed over the four state words.
import { RandomError } from "./errors.js";

/** FNV-1a over UTF-16 code units: a string seed becomes a 32-bit number. */
export function hashSeed(seed: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The 32-bit seed of any integer: the low word, xor the high word times an odd constant. */
export function foldSeed(seed: number | bigint | string): number {
  if (typeof seed === "string") return hashSeed(seed);
  if (typeof seed === "number" && !Number.isInteger(seed)) throw new RandomError("RANDOM_BAD_SEED", `a seed must be an integer or a string, got ${seed}`);
  const big = BigInt.asUintN(64, BigInt(seed));
  return (Number(big & 0xffffffffn) ^ Math.imul(Number(big >> 32n), 0x27d4eb2d)) >>> 0;
}

/** splitmix32: four well-mixed state words from a 32-bit seed (never all zero). */
export function stateFromSeed(seed: number): Uint32Array {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  const state = Uint32Array.of(next(), next(), next(), next());
  if (state.every((word) => word === 0)) state[0] = 1; // the all-zero state is a fixed point
  return state;
}
