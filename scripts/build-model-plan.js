// Sizes and training settings of the built-in models. Steps are fixed (not wall-time limits) so that
// a rebuild is deterministic; they were chosen from measured throughput to fit the time budgets
// (atlas ≈ 40 min, each baseline ≈ 10 min of training on 2 shared cores).
export const plans = {
  atlas: {
    size: { contextLength: 256, embeddingLength: 192, blockCount: 6, headCount: 6, headCountKv: 3, feedForwardLength: 512, rmsEps: 1e-5, ropeBase: 10000, tiedOutput: true },
    vocabSize: 2048,
    steps: 1300,
    batchSize: 8,
    sequenceLength: 128,
    lr: 3e-3,
    seed: 1101,
    // Second stage on the focus mix (corpus focusRecipes.atlas), from the first stage's F16 file.
    focus: { steps: 300, lr: 1e-3, seed: 1102 },
  },
  indie: {
    size: { contextLength: 256, embeddingLength: 192, blockCount: 5, headCount: 6, headCountKv: 3, feedForwardLength: 512, rmsEps: 1e-5, ropeBase: 10000, tiedOutput: true },
    vocabSize: 2048,
    steps: 500,
    batchSize: 8,
    sequenceLength: 128,
    lr: 3e-3,
    seed: 2202,
    focus: { steps: 250, lr: 1e-3, seed: 2203 },
  },
  sage: {
    size: { contextLength: 256, embeddingLength: 160, blockCount: 6, headCount: 5, headCountKv: 5, feedForwardLength: 448, rmsEps: 1e-5, ropeBase: 10000, tiedOutput: true },
    vocabSize: 1792,
    steps: 500,
    batchSize: 8,
    sequenceLength: 128,
    lr: 3e-3,
    seed: 3303,
    focus: { steps: 250, lr: 1e-3, seed: 3304 },
  },
};
