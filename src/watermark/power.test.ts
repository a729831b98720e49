// Power: watermarked generations are detected. The simulation model is a seeded bigram model with
// about 4.8 nats of entropy per token; real models have less, see bench/watermark.js.
import { describe, expect, it } from "vitest";
import { createRandom } from "../random/index.js";
import { createWatermark, generateKey, type SchemeName } from "./index.js";
import { BigramModel } from "./simulation/bigram-model.js";
import { generateTokens } from "./simulation/generate.js";

const MODEL = new BigramModel({ vocab: 1024, seed: 12 });

function detectionRate(scheme: SchemeName, params: Record<string, unknown>, texts: number, length: number): number {
  const rng = createRandom(`power/${scheme}/${JSON.stringify(params)}`);
  let detected = 0;
  for (let i = 0; i < texts; i++) {
    const watermark = createWatermark(generateKey(scheme, params, (n) => rng.bytes(n)));
    const text = generateTokens(MODEL, [rng.int(1024)], length, rng, [watermark.processor()]);
    if (watermark.detectTokens(text).p_value <= 1e-3) detected++;
  }
  return detected / texts;
}

describe("watermarked generations are detected at FPR 1e-3", () => {
  it("KGW γ = 0.25, δ = 2, 200 tokens: TPR >= 98%", () => {
    expect(detectionRate("kgw", { gamma: 0.25, delta: 2 }, 60, 200)).toBeGreaterThanOrEqual(0.98);
    expect(detectionRate("kgw", { gamma: 0.25, delta: 2, hashing: "selfhash", context: 4 }, 50, 200)).toBeGreaterThanOrEqual(0.98);
  });

  it("Gumbel, 100 tokens", () => {
    expect(detectionRate("gumbel", {}, 50, 100)).toBeGreaterThanOrEqual(0.98);
  });

  it("SynthID, 100 tokens", () => {
    expect(detectionRate("synthid", {}, 30, 100)).toBeGreaterThanOrEqual(0.96);
  });

  it("the same text without the watermark is not detected", () => {
    const rng = createRandom("power/plain");
    const watermark = createWatermark(generateKey("kgw", {}, (n) => rng.bytes(n)));
    const plain = generateTokens(MODEL, [3], 200, rng);
    expect(watermark.detectTokens(plain).p_value).toBeGreaterThan(1e-3);
  });
});

describe("far tails are reported in log space", () => {
  it("a long watermarked text gets a finite log10 p far below the double range", () => {
    const rng = createRandom("power/far");
    const watermark = createWatermark(generateKey("gumbel", {}, (n) => rng.bytes(n)));
    const text = generateTokens(MODEL, [5], 1500, rng, [watermark.processor()]);
    const result = watermark.detectTokens(text);
    expect(result.p_value).toBe(0);
    expect(Number.isFinite(result.log10_p)).toBe(true);
    expect(result.log10_p).toBeLessThan(-400);
    // Scoring the same text twice adds nothing: every n-gram is already on the tape.
    expect(watermark.detectTokens([text, text]).scored).toBe(result.scored);
  });
});
