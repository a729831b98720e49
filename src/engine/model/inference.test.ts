// The KV-cache session gives the float64 reference's logits (within 1e-5 relative to their scale),
// whether tokens arrive all at once, one by one, or in uneven chunks.
import { describe, expect, it } from "vitest";
import { createRandom } from "../../random/index.js";
import { referenceLlamaLogits } from "../test-support/reference-llama.js";
import type { LlamaConfig } from "./config.js";
import { InferenceSession } from "./inference.js";
import { floatToHalf, halfToFloat } from "../gguf/half.js";
import { kernelName } from "../kernels/index.js";
import { initializeParameters } from "./parameters.js";

const config: LlamaConfig = {
  vocabSize: 50, contextLength: 40, embeddingLength: 24, blockCount: 2, headCount: 6, headCountKv: 2,
  feedForwardLength: 40, rmsEps: 1e-5, ropeBase: 1234, tiedOutput: false,
};

describe("InferenceSession", () => {
  const random = createRandom(5);
  const params = initializeParameters(config, random);
  for (let i = 0; i < params.data.length; i++) params.data[i] += random.normal() * 0.2;
  const tokens = Array.from({ length: 37 }, (_, i) => (i * 13 + 7) % config.vocabSize);
  const reference = referenceLlamaLogits(config, Object.fromEntries(params.byName), tokens);

  it("matches the float64 reference within 1e-5 at every position", () => {
    const all = new InferenceSession(config, params).feed(tokens, true);
    let worst = 0;
    for (let t = 0; t < tokens.length; t++)
      for (let j = 0; j < config.vocabSize; j++) worst = Math.max(worst, Math.abs(all[t * config.vocabSize + j] - reference[t][j]));
    expect(worst).toBeLessThan(1e-5);
  });

  it("gives the same logits when tokens are fed in chunks", () => {
    const session = new InferenceSession(config, params);
    let t = 0;
    for (const size of [5, 1, 1, 9, 1, 20]) {
      const logits = session.feed(tokens.slice(t, t + size));
      t += size;
      for (let j = 0; j < config.vocabSize; j++) expect(Math.abs(logits[j] - reference[t - 1][j])).toBeLessThan(1e-5);
    }
    session.rewind(3);
    const again = session.feed([tokens[3]]);
    for (let j = 0; j < config.vocabSize; j++) expect(Math.abs(again[j] - reference[3][j])).toBeLessThan(1e-5);
  });

  it("decodes single tokens natively in F16 when the weights are F16 numbers, with the same logits", () => {
    const half = initializeParameters(config, createRandom(6));
    for (let i = 0; i < half.data.length; i++) half.data[i] = halfToFloat(floatToHalf(params.data[i]));
    const expected = referenceLlamaLogits(config, Object.fromEntries(half.byName), tokens);
    const decoder = InferenceSession.prepareDecoder(config, half);
    expect(decoder?.f16 ?? null).toBe(kernelName() === "native" ? true : null);
    expect(InferenceSession.prepareDecoder(config, params)?.f16 ?? false).toBe(false);
    for (const options of [{ decoder }, { decoder: false as const }]) {
      const session = new InferenceSession(config, half, options);
      let worst = 0;
      for (let t = 0; t < tokens.length; t++) {
        const logits = session.feed([tokens[t]]);
        for (let j = 0; j < config.vocabSize; j++) worst = Math.max(worst, Math.abs(logits[j] - expected[t][j]));
      }
      expect(worst).toBeLessThan(1e-5);
    }
  });

  it("refuses input longer than the context and unknown token ids", () => {
    const session = new InferenceSession(config, params);
    expect(() => session.feed(Array(41).fill(1))).toThrow(/context of 40/);
    expect(() => session.feed([50])).toThrow(/outside the vocabulary/);
  });
});
