// The training forward pass equals the float64 reference (test-support/reference-llama.ts), and the
// backward pass of the whole model equals finite differences of the cross-entropy loss.
import { describe, expect, it } from "vitest";
import { createRandom } from "../../random/index.js";
import { referenceLlamaLogits } from "../test-support/reference-llama.js";
import { crossEntropy } from "../losses/cross-entropy.js";
import type { LlamaConfig } from "./config.js";
import { LlamaModel } from "./llama-model.js";
import { initializeParameters } from "./parameters.js";

const base: LlamaConfig = {
  vocabSize: 37, contextLength: 16, embeddingLength: 16, blockCount: 2, headCount: 4, headCountKv: 2,
  feedForwardLength: 24, rmsEps: 1e-5, ropeBase: 10000, tiedOutput: true,
};

function randomModel(config: LlamaConfig, seed: number): LlamaModel {
  const random = createRandom(seed);
  const params = initializeParameters(config, random);
  // larger weights than the training init, so that attention and norms are far from trivial
  for (let i = 0; i < params.data.length; i++) params.data[i] += random.normal() * 0.3;
  return new LlamaModel(config, params);
}

function weightsOf(model: LlamaModel): Record<string, Float32Array> {
  return Object.fromEntries(model.params.byName);
}

describe("LlamaModel", () => {
  it.each([
    ["tied, GQA", base],
    ["untied, MHA, rope base 500", { ...base, tiedOutput: false, headCountKv: 4, ropeBase: 500 }],
    ["untied, one kv head", { ...base, tiedOutput: false, headCountKv: 1, blockCount: 1 }],
  ])("forward equals the float64 reference (%s)", (_name, config) => {
    const model = randomModel(config, 1);
    const B = 2, T = 11;
    const tokens = Int32Array.from({ length: B * T }, (_, i) => (i * 7 + 3) % config.vocabSize);
    const logits = model.forward(tokens, B, T);
    for (let b = 0; b < B; b++) {
      const ref = referenceLlamaLogits(config, weightsOf(model), tokens.subarray(b * T, b * T + T));
      for (let t = 0; t < T; t++) {
        for (let j = 0; j < config.vocabSize; j++) {
          expect(Math.abs(logits[(b * T + t) * config.vocabSize + j] - ref[t][j])).toBeLessThan(1e-4);
        }
      }
    }
  });

  it.each([["tied", base], ["untied", { ...base, tiedOutput: false }]])("backward equals finite differences (%s)", (_name, config) => {
    const model = randomModel(config, 2);
    const B = 2, T = 7, N = B * T, V = config.vocabSize;
    const tokens = Int32Array.from({ length: N }, (_, i) => (i * 5 + 1) % V);
    const targets = Int32Array.from({ length: N }, (_, i) => (i % 3 === 0 ? -1 : (i * 11 + 2) % V));
    const lossAt = (): number => {
      const logits = model.forward(tokens, B, T);
      const r = crossEntropy(null, logits, targets, N, V, 0);
      return r.loss / r.count;
    };
    const logits = model.forward(tokens, B, T);
    const dlogits = new Float32Array(N * V);
    const { count } = crossEntropy(dlogits, logits, targets, N, V, 1);
    for (let i = 0; i < dlogits.length; i++) dlogits[i] /= count;
    model.zeroGrad();
    model.backward(dlogits);
    const random = createRandom(3);
    // a few coordinates of every tensor
    for (const [name, tensor] of model.params.byName) {
      const grad = model.grads.byName.get(name)!;
      for (let trial = 0; trial < 3; trial++) {
        const i = random.int(tensor.length);
        const saved = tensor[i], eps = 1e-2;
        tensor[i] = saved + eps;
        const plus = lossAt();
        tensor[i] = saved - eps;
        const minus = lossAt();
        tensor[i] = saved;
        const numeric = (plus - minus) / (2 * eps);
        expect(Math.abs(grad[i] - numeric), `${name}[${i}] analytic ${grad[i]} numeric ${numeric}`).toBeLessThan(2e-3 + 2e-2 * Math.abs(numeric));
      }
    }
  });
});
