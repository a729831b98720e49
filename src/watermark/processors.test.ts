// Generation side: what each scheme's processor does to the logits. What every scheme shares is
// the contract in test-support/scheme.case.ts, run by schemes.test.ts.
import { describe, expect, it } from "vitest";
import { logGammaUpperTail } from "../stats/index.js";
import { createRandom } from "../random/index.js";
import { createWatermark, generateKey } from "./index.js";
import { BigramModel } from "./simulation/bigram-model.js";
import { mixWindow, prf2 } from "./half-siphash.js";

const VOCAB = 64;

function probabilities(logits: Float32Array): Float64Array {
  let max = -Infinity;
  for (const value of logits) max = Math.max(max, value);
  const out = new Float64Array(logits.length);
  let sum = 0;
  for (let v = 0; v < logits.length; v++) sum += out[v] = logits[v] === -Infinity ? 0 : Math.exp(logits[v] - max);
  for (let v = 0; v < logits.length; v++) out[v] /= sum;
  return out;
}

/** Sampling from the processed distribution, averaged over random keys, must give back p. */
function expectDistortionFree(scheme: "gumbel" | "synthid", trials: number): void {
  const rng = createRandom(`distortion/${scheme}`);
  const base = new BigramModel({ vocab: VOCAB, seed: 5, noise: 1 }).logits(3);
  const p = probabilities(base);
  const mean = new Float64Array(VOCAB);
  for (let trial = 0; trial < trials; trial++) {
    const processor = createWatermark(generateKey(scheme, {}, (n) => rng.bytes(n))).processor();
    const logits = Float32Array.from(base);
    processor.process([1, 2, 3, 4, 5], logits);
    const q = probabilities(logits);
    for (let v = 0; v < VOCAB; v++) mean[v] += q[v] / trials;
  }
  // Chi-square of the averaged distribution against p, scaled by the number of keys.
  let chi = 0;
  for (let v = 0; v < VOCAB; v++) chi += (trials * (mean[v] - p[v]) ** 2) / p[v];
  // Gumbel's average of one-hot draws is multinomial: chi ~ χ²(V − 1); SynthID's is even tighter.
  expect(Math.exp(logGammaUpperTail((VOCAB - 1) / 2, chi / 2))).toBeGreaterThan(0.001);
}

describe("logits processors", () => {
  it("KGW adds δ to exactly the green tokens of the context (lefthash h=1)", () => {
    const key = generateKey("kgw", { hashing: "lefthash", context: 1, gamma: 0.25, delta: 2 }, createRandom(1).bytes);
    const watermark = createWatermark(key);
    const logits = new Float32Array(4096);
    watermark.processor().process([10, 11, 12], logits);
    const greens = logits.filter((value) => value === 2).length;
    expect(greens + logits.filter((value) => value === 0).length).toBe(4096);
    expect(Math.abs(greens / 4096 - 0.25)).toBeLessThan(0.03);
    // The detector agrees token by token: a green token after 12 scores 1.
    const green = logits.indexOf(2);
    const red = logits.indexOf(0);
    expect(watermark.detectTokens([12, green], { randomize: false }).statistic).toBe(1);
    expect(watermark.detectTokens([12, red], { randomize: false }).statistic).toBe(0);
  });

  it("KGW serves a stronger δ with the same key on request, with the same green tokens", () => {
    const watermark = createWatermark(generateKey("kgw", { hashing: "lefthash", context: 1, gamma: 0.25, delta: 2 }, createRandom(2).bytes));
    const usual = new Float32Array(2048);
    const stronger = new Float32Array(2048);
    watermark.processor().process([10, 11, 12], usual);
    watermark.processor({ delta: 3 }).process([10, 11, 12], stronger);
    for (let v = 0; v < 2048; v++) expect(stronger[v]).toBe(usual[v] === 2 ? 3 : 0);
    expect(() => watermark.processor({ delta: -1 })).toThrow(/delta must be a positive number/);
  });

  it("KGW self-hash and min-hash colour every candidate consistently with the detector", () => {
    for (const hashing of ["selfhash", "minhash"] as const) {
      const watermark = createWatermark(generateKey("kgw", { hashing, context: 3 }, createRandom(hashing).bytes));
      const context = [8, 9, 10];
      const logits = new Float32Array(500);
      watermark.processor().process(context, logits);
      for (let v = 0; v < 500; v += 7) {
        const result = watermark.detectTokens([...context, v], { randomize: false });
        expect(result.scored).toBe(1);
        expect(result.statistic).toBe(logits[v] === 2 ? 1 : 0);
      }
    }
  });

  it("Gumbel picks one token and is distortion-free over keys", () => {
    const logits = new BigramModel({ vocab: VOCAB, seed: 5 }).logits(3);
    createWatermark(generateKey("gumbel")).processor().process([1, 2, 3, 4, 5], logits);
    expect(logits.filter((value) => value === 0).length).toBe(1);
    expect(logits.filter((value) => value === -Infinity).length).toBe(VOCAB - 1);
    expectDistortionFree("gumbel", 4000);
  });

  it("SynthID keeps a proper distribution and is distortion-free over keys", () => {
    const logits = new BigramModel({ vocab: VOCAB, seed: 5 }).logits(3);
    createWatermark(generateKey("synthid")).processor().process([1, 2, 3, 4, 5], logits);
    const q = probabilities(logits);
    expect(q.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    expectDistortionFree("synthid", 2000);
  });

  it("SynthID's tournament moves mass toward tokens with more g-bits set", () => {
    const key = generateKey("synthid", { layers: 8 }, createRandom(8).bytes);
    const logits = new Float32Array(256);
    createWatermark(key).processor().process([1, 2, 3, 4], logits);
    const watermark = createWatermark(key);
    const means = [0, 0];
    const counts = [0, 0];
    for (let v = 0; v < 256; v++) {
      const result = watermark.detectTokens([1, 2, 3, 4, v], { randomize: false });
      const high = result.statistic >= 4 ? 1 : 0;
      means[high] += logits[v];
      counts[high]++;
    }
    expect(means[1] / counts[1]).toBeGreaterThan(means[0] / counts[0]);
  });

  it("SynthID's chunked tournament equals the layer-by-layer definition", () => {
    const key = generateKey("synthid", { layers: 30 }, createRandom(12).bytes);
    const [k0, k1] = key.subkey("score");
    const base = new BigramModel({ vocab: 300, seed: 2 }).logits(9);
    const logits = Float32Array.from(base);
    const context = [4, 5, 6, 7];
    createWatermark(key).processor().process(context, logits);
    const expected = probabilities(base);
    const words = Array.from(expected, (_, v) => prf2(k0, k1, mixWindow(context, 0, 4), v));
    for (let layer = 0; layer < 30; layer++) {
      let mass = 0;
      for (let v = 0; v < 300; v++) mass += ((words[v] >>> layer) & 1) * expected[v];
      for (let v = 0; v < 300; v++) expected[v] *= 1 + ((words[v] >>> layer) & 1) - mass;
    }
    const actual = probabilities(logits);
    for (let v = 0; v < 300; v++) expect(Math.abs(actual[v] - expected[v])).toBeLessThan(1e-6 * expected[v] + 1e-12);
  });

  it("Gumbel and SynthID fall back to ordinary sampling when the context repeats", () => {
    for (const scheme of ["gumbel", "synthid"] as const) {
      const logits = Float32Array.from({ length: 50 }, (_, i) => Math.cos(i));
      const before = Float32Array.from(logits);
      createWatermark(generateKey(scheme)).processor().process([1, 2, 3, 4, 9, 1, 2, 3, 4], logits);
      expect(logits).toEqual(before);
    }
  });
});
