// Pins the one PRNG: the published xoshiro128** outputs, then the seeded streams the project relies on
// (the engine's parameter initialisation, training order and sampling built the shipped models from
// them; the statistics and watermark tests fix their samples with them).
import { describe, expect, it } from "vitest";
import { createRandom, foldSeed, hashSeed, xoshiro128StarStar } from "./index.js";

const take = (n: number, draw: () => number) => Array.from({ length: n }, draw);

describe("xoshiro128** reference outputs", () => {
  it("from state 1, 2, 3, 4 (the reference xoshiro128starstar.c 1.1, as pinned by rand_xoshiro)", () => {
    const r = xoshiro128StarStar(Uint32Array.of(1, 2, 3, 4));
    expect(take(10, r.uint32)).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597, 4258142804]);
  });

  it("advances the given state in place", () => {
    const state = Uint32Array.of(1, 2, 3, 4);
    const r = xoshiro128StarStar(state);
    take(10, r.uint32);
    expect(Array.from(state)).not.toEqual([1, 2, 3, 4]);
    expect(take(3, xoshiro128StarStar(state.slice()).uint32)).toEqual(take(3, r.uint32));
  });
});

describe("seeded streams stay what they were", () => {
  it("splitmix32 seeding of small integers", () => {
    expect(take(4, createRandom(42).uint32)).toEqual([2837322924, 544945897, 479756282, 3500138142]);
  });

  it("64-bit seeds fold into one word (the trainer's per-epoch and per-batch seeds)", () => {
    expect(take(2, createRandom(2n ** 40n + 1n).uint32)).toEqual([1023581608, 4108404330]);
    expect(take(2, createRandom(1n * 1000003n + 2n).uint32)).toEqual([1489499205, 1324436939]);
    expect(foldSeed(2 ** 40 + 1)).toBe(foldSeed(2n ** 40n + 1n));
  });

  it("string seeds are hashed with FNV-1a", () => {
    expect(hashSeed("")).toBe(0x811c9dc5);
    expect(hashSeed("a")).toBe(0xe40c292c);
    expect(take(2, createRandom("seed").uint32)).toEqual([1327162122, 3359510752]);
  });

  it("uniform32 is one step on a 2^-32 grid; uniform53 is two steps on a 2^-53 grid", () => {
    expect(take(3, createRandom(42).uniform32)).toEqual([0.6606157226487994, 0.12688010395504534, 0.11170196393504739]);
    expect(take(2, createRandom(42).uniform53)).toEqual([0.6606157208001621, 0.1117019639532224]);
    const r = createRandom(5);
    for (let i = 0; i < 1000; i++) {
      expect(Number.isInteger(r.uniform32() * 2 ** 32)).toBe(true);
      expect(Number.isInteger(r.uniform53() * 2 ** 53)).toBe(true);
    }
  });

  it("normal, bytes, int, shuffle and fork", () => {
    expect(take(3, createRandom(7).normal)).toEqual([-1.6997666603638308, -0.13089946149672535, 0.590717715269077]);
    const r = createRandom(9);
    expect(Array.from(r.bytes(6))).toEqual([182, 48, 72, 77, 40, 2]);
    expect(r.int(1000)).toBe(708);
    expect(createRandom(1).shuffle([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])).toEqual([4, 1, 5, 6, 3, 0, 9, 7, 2, 8]);
    expect(createRandom(3).fork().uint32()).toBe(3784066557);
  });
});

describe("seeded random", () => {
  it("is reproducible and seed-dependent", () => {
    expect(take(5, createRandom(42).uint32)).toEqual(take(5, createRandom(42).uint32));
    expect(take(5, createRandom(43).uint32)).not.toEqual(take(5, createRandom(42).uint32));
    expect(createRandom(2n ** 40n + 1n).uint32()).not.toBe(createRandom(1).uint32());
  });

  it("refuses fractional seeds and impossible ranges", () => {
    expect(() => createRandom(1.5)).toThrow(expect.objectContaining({ code: "RANDOM_BAD_SEED" }));
    for (const n of [0, -1, 2.5, 2 ** 32 + 1, Number.NaN]) expect(() => createRandom(1).int(n)).toThrow(expect.objectContaining({ code: "RANDOM_BAD_ARGUMENT" }));
  });

  it("gives uniform values, unbiased integers and standard normals", () => {
    const r = createRandom(7);
    let sum = 0, sumSq = 0;
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 60000; i++) {
      const u = r.uniform53();
      expect(u >= 0 && u < 1).toBe(true);
      counts[r.int(6)]++;
      const z = r.normal();
      sum += z;
      sumSq += z * z;
    }
    for (const c of counts) expect(Math.abs(c - 10000)).toBeLessThan(400);
    expect(Math.abs(sum / 60000)).toBeLessThan(0.02);
    expect(Math.abs(sumSq / 60000 - 1)).toBeLessThan(0.03);
  });

  it("forks an independent stream without disturbing reproducibility", () => {
    const a = createRandom(1), b = createRandom(1);
    const child = a.fork();
    b.fork();
    expect(a.uint32()).toBe(b.uint32());
    expect(child.uint32()).not.toBe(a.uint32());
  });
});
