import { describe, expect, it } from "vitest";
import { createRandom } from "../random/index.js";
import { halfSipHash, mixWindow, prf2 } from "./half-siphash.js";
import { PairTape } from "./tape.js";

// The reference implementation's vectors_hsip32 (HalfSipHash-2-4, key bytes 0..7, message bytes
// 0..len−1, output little-endian) for the word-aligned lengths 0 and 4.
const KEY0 = 0x03020100;
const KEY1 = 0x07060504;
const PINNED = [504780089, 556074437, 2857789330];

describe("HalfSipHash PRF", () => {
  it("matches the reference HalfSipHash-2-4 vectors", () => {
    expect(halfSipHash(KEY0, KEY1, [], 2, 4)).toBe(0x5b9f35a9);
    expect(halfSipHash(KEY0, KEY1, [0x03020100], 2, 4)).toBe(0x89466e2a);
  });

  it("the inlined two-word PRF equals HalfSipHash-1-3 and is pinned across platforms", () => {
    const rng = createRandom(9);
    for (let i = 0; i < 1000; i++) {
      const [k0, k1, a, b] = [rng.uint32(), rng.uint32(), rng.uint32(), rng.uint32()];
      expect(prf2(k0, k1, a, b)).toBe(halfSipHash(k0, k1, [a, b], 1, 3));
    }
    // Known answers: a change here changes every watermark ever issued.
    expect([prf2(KEY0, KEY1, 0, 0), prf2(KEY0, KEY1, 1, 2), prf2(0xdeadbeef, 0x01234567, 42, 31999)]).toEqual(PINNED);
  });

  it("gives uniform words: green fraction γ and fair bits", () => {
    let green = 0;
    const bits = new Array(32).fill(0);
    const n = 200_000;
    for (let t = 0; t < n; t++) {
      const word = prf2(0x1234, 0x5678, t >>> 6, t);
      if (word < 0.25 * 4294967296) green++;
      for (let b = 0; b < 32; b++) bits[b] += (word >>> b) & 1;
    }
    expect(Math.abs(green / n - 0.25)).toBeLessThan(0.005);
    for (const count of bits) expect(Math.abs(count / n - 0.5)).toBeLessThan(0.006);
  });

  it("window mixing is order-sensitive and depends on every token", () => {
    expect(mixWindow([1, 2, 3], 0, 3)).not.toBe(mixWindow([3, 2, 1], 0, 3));
    expect(mixWindow([1, 2, 3], 0, 3)).not.toBe(mixWindow([1, 2, 4], 0, 3));
    expect(mixWindow([9, 1, 2], 1, 3)).toBe(mixWindow([1, 2], 0, 2));
  });
});

describe("pair tape", () => {
  it("admits each pair once and survives growth", () => {
    const tape = new PairTape(4);
    const rng = createRandom(2);
    const pairs = Array.from({ length: 5000 }, () => [rng.int(300), rng.int(300)] as const);
    const unique = new Set(pairs.map(([a, b]) => `${a},${b}`));
    let added = 0;
    for (const [a, b] of pairs) if (tape.add(a, b)) added++;
    expect(added).toBe(unique.size);
    expect(tape.size).toBe(unique.size);
    for (const [a, b] of pairs) expect(tape.has(a, b)).toBe(true);
    expect(tape.has(0xffffffff, 7)).toBe(false);
    expect(tape.add(0xffffffff, 7)).toBe(true);
    expect(tape.add(0xffffffff, 7)).toBe(false);
  });
});
