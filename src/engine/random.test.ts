import { describe, expect, it } from "vitest";
import { createRandom, xoshiro128StarStar } from "./random.js";

describe("seeded random", () => {
  it("follows xoshiro128** (first outputs from state 1,2,3,4)", () => {
    const r = xoshiro128StarStar(new Uint32Array([1, 2, 3, 4]));
    // The reference C implementation (prng.di.unimi.it) gives this sequence from that state.
    expect(Array.from({ length: 5 }, () => r.uint32())).toEqual([11520, 0, 5927040, 70819200, 2031721883]);
  });
  it("is deterministic per seed and differs across seeds", () => {
    const a = createRandom(42), b = createRandom(42), c = createRandom(43);
    const xs = Array.from({ length: 5 }, () => a.uint32());
    expect(Array.from({ length: 5 }, () => b.uint32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.uint32())).not.toEqual(xs);
    expect(createRandom(2n ** 40n + 1n).uint32()).not.toBe(createRandom(1).uint32());
  });
  it("gives uniform doubles, unbiased ints and standard normals", () => {
    const r = createRandom(7);
    const n = 40000;
    let sum = 0, sumSq = 0;
    const counts = new Array(6).fill(0);
    for (let i = 0; i < n; i++) {
      const u = r.next();
      expect(u >= 0 && u < 1).toBe(true);
      sum += u;
      counts[r.int(6)]++;
      const z = r.normal();
      sumSq += z * z;
    }
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.01);
    for (const c of counts) expect(Math.abs(c / n - 1 / 6)).toBeLessThan(0.01);
    expect(Math.abs(sumSq / n - 1)).toBeLessThan(0.03);
  });
  it("forks an independent stream without repeating the parent", () => {
    const r = createRandom(1);
    const child = r.fork();
    expect(child.uint32()).not.toBe(r.uint32());
  });
});
