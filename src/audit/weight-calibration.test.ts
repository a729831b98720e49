// Calibration of the weight test on null data: pairs of models initialised independently (the
// engine's own initialisation, different seeds), untrained and briefly trained on the same text.
// The randomised p-values must be uniform (Kolmogorov–Smirnov) and the conservative ones, which the
// verdict uses, must reject at most α of the pairs (within the 99% binomial bound).
import { describe, expect, it } from "vitest";
import { initializeParameters, modelSize, packExamples, trainModel, type LlamaConfig, type ModelTensors } from "../engine/index.js";
import { createRandom } from "../random/index.js";
import { binomialInterval, ksTestUniform } from "../stats/index.js";
import { weightTest, type ModelUpProjections } from "./weight-test.js";

// Small enough for hundreds of pairs: 3 blocks of 96 hidden units over 32 channels.
const config: LlamaConfig = {
  vocabSize: 24, contextLength: 16, embeddingLength: 32, blockCount: 3, headCount: 2, headCountKv: 2,
  feedForwardLength: 96, rmsEps: 1e-5, ropeBase: 10000, tiedOutput: true,
};

function upProjections(params: ModelTensors, shape: LlamaConfig = config): ModelUpProjections {
  return { layers: params.layers.map((layer) => ({ rows: shape.feedForwardLength, cols: shape.embeddingLength, data: layer.wUp })) };
}

function expectLevel(pValues: number[], label: string): void {
  for (const alpha of [0.05, 0.01]) {
    const { high } = binomialInterval(pValues.length, alpha, 0.99);
    const rejections = pValues.filter((p) => p <= alpha).length;
    expect(rejections, `${label}: ${rejections} of ${pValues.length} at α = ${alpha}`).toBeLessThanOrEqual(high);
  }
}

describe("weight test under the null (independent initialisations)", () => {
  it("untrained pairs: randomised p uniform, conservative p within α, per block and combined", () => {
    const pairs = 240;
    const combined: number[] = [];
    const conservative: number[] = [];
    const perBlock: number[] = [];
    for (let pair = 0; pair < pairs; pair++) {
      const suspect = upProjections(initializeParameters(config, createRandom(`suspect-${pair}`)));
      const teacher = upProjections(initializeParameters(config, createRandom(`teacher-${pair}`)));
      const result = weightTest(suspect, teacher, { seed: `draws-${pair}` });
      expect(result.applicable).toBe(true);
      combined.push(result.detail.p_value_randomized as number);
      conservative.push(result.p_value);
      for (const log10p of result.detail.log10_p_layers_randomized as number[]) perBlock.push(10 ** log10p);
    }
    expect(ksTestUniform(combined).p_value, "combined, randomised").toBeGreaterThan(0.01);
    expect(ksTestUniform(perBlock).p_value, "per block, randomised").toBeGreaterThan(0.01);
    expectLevel(conservative, "combined, conservative");
    // Conservative means never below the randomised one.
    combined.forEach((p, i) => expect(conservative[i]).toBeGreaterThanOrEqual(p));
  });

  it("pairs trained a few steps on the same text from independent initialisations stay null", async () => {
    const random = createRandom("weight-trained-text");
    const data = packExamples([{ tokens: Int32Array.from({ length: 600 }, () => random.int(config.vocabSize)) }]);
    const train = async (seed: number) => (await trainModel({ config, data, steps: 4, batchSize: 2, sequenceLength: 16, lr: 1e-2, warmupSteps: 1, seed })).params;
    const pValues: number[] = [];
    for (let pair = 0; pair < 20; pair++) {
      const [suspect, teacher] = [await train(1000 + pair), await train(2000 + pair)];
      pValues.push(weightTest(upProjections(suspect), upProjections(teacher), { seed: pair }).detail.p_value_randomized as number);
    }
    // Twenty p-values: each above 1e-3 (all twenty with probability 0.98 under the null) and no
    // departure from uniform that the KS test can see.
    for (const p of pValues) expect(p).toBeGreaterThan(1e-3);
    expect(ksTestUniform(pValues).p_value).toBeGreaterThan(0.01);
  });

  it("at atlas's shape (6 blocks of 512 units over 192 channels) independent pairs are not flagged", () => {
    const atlasShape: LlamaConfig = { ...modelSize("atlas"), vocabSize: 24 };
    for (let pair = 0; pair < 3; pair++) {
      const suspect = upProjections(initializeParameters(atlasShape, createRandom(`atlas-shape-suspect-${pair}`)), atlasShape);
      const teacher = upProjections(initializeParameters(atlasShape, createRandom(`atlas-shape-teacher-${pair}`)), atlasShape);
      const result = weightTest(suspect, teacher, { seed: pair });
      expect(result.detail.units).toBe(512);
      expect(result.p_value).toBeGreaterThan(1e-3);
      // With n = 512 the Mahonian law is nearly continuous: conservative and randomised p agree closely.
      expect(Math.abs(result.log10_p - (result.detail.log10_p_randomized as number))).toBeLessThan(0.01);
    }
  });
});
