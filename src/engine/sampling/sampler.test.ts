import { describe, expect, it } from "vitest";
import { createRandom } from "../../random/index.js";
import type { LogitsProcessor } from "./logits-processor.js";
import { applyTopP, sampleToken, softmaxInPlace } from "./sampler.js";

const logits = Float32Array.from([1, 3, 2, 0.5, 2.9]);

function histogram(options: Parameters<typeof sampleToken>[2], n = 20000, input = logits): number[] {
  const counts = new Array(input.length).fill(0);
  for (let i = 0; i < n; i++) counts[sampleToken(input, [], options)]++;
  return counts.map((c) => c / n);
}

describe("sampleToken", () => {
  it("is greedy at temperature 0 and leaves the input alone", () => {
    const copy = Float32Array.from(logits);
    expect(sampleToken(logits, [], { temperature: 0, random: createRandom(1) })).toBe(1);
    expect(logits).toEqual(copy);
  });
  it("draws from the softmax at temperature 1 and sharpens at lower temperature", () => {
    const expected = softmaxInPlace(Float32Array.from(logits));
    const freq = histogram({ random: createRandom(3) });
    freq.forEach((f, i) => expect(Math.abs(f - expected[i]!)).toBeLessThan(0.015));
    const cold = histogram({ temperature: 0.25, random: createRandom(3) });
    expect(cold[1]!).toBeGreaterThan(freq[1]!);
  });
  it("top-k keeps the k best, top-p the nucleus", () => {
    const k2 = histogram({ topK: 2, random: createRandom(5) }, 4000);
    expect(k2[0]! + k2[2]! + k2[3]!).toBe(0);
    const p = histogram({ topP: 0.5, random: createRandom(5) }, 4000);
    expect(p[1]! + p[4]!).toBe(1); // 3 and 2.9 hold ≥ 50% together; 3 alone does not
    const probs = softmaxInPlace(Float32Array.from(logits));
    applyTopP(probs, 0.01);
    expect(Array.from(probs)).toEqual([0, 1, 0, 0, 0]);
  });
  it("applies processors after temperature, before top-k", () => {
    const seen: number[][] = [];
    const ban: LogitsProcessor = { process: (context, l) => { seen.push(Array.from(l)); l[1] = -Infinity; l[4] = -Infinity; } };
    expect(sampleToken(logits, [9], { temperature: 0, processors: [ban], random: createRandom(1) })).toBe(2);
    sampleToken(logits, [9], { temperature: 2, processors: [ban], topK: 1, random: createRandom(1) });
    expect(seen[1]![1]).toBeCloseTo(1.5);
    expect(histogram({ processors: [ban], topK: 1, random: createRandom(1) }, 200)[2]).toBe(1);
  });
  it("is reproducible with the same seed and fails clearly when nothing is left", () => {
    const a = createRandom(11), b = createRandom(11);
    const xs = Array.from({ length: 50 }, () => sampleToken(logits, [], { random: a }));
    expect(Array.from({ length: 50 }, () => sampleToken(logits, [], { random: b }))).toEqual(xs);
    const all: LogitsProcessor = { process: (_, l) => l.fill(-Infinity) };
    expect(() => sampleToken(logits, [], { processors: [all], random: a })).toThrow(/every token was removed/);
    expect(() => sampleToken(logits, [], { temperature: 0, processors: [all], random: a })).toThrow(/every token was removed/);
  });
});
