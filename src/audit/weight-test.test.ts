// The weight test on the shipped models: atlas against itself, a noisy copy, a briefly fine-tuned
// copy, a copy with re-permuted hidden units (the test's documented blind spot), and indie (other
// shapes: not applicable). The up-projections are read from the GGUF files as the audit command does.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readUpProjections } from "../cli/audit/model-weights.js";
import { gguf, loadGgufModel, packExamples, trainModel } from "../engine/index.js";
import { builtinModelPath } from "../models/index.js";
import { createRandom, type Random } from "../random/index.js";
import { countInversions } from "../stats/index.js";
import { weightTest, type ModelUpProjections, type UpProjection } from "./weight-test.js";

let atlas: ModelUpProjections;

beforeAll(async () => {
  atlas = (await readUpProjections("atlas"))!;
});

function standardDeviation(values: Float32Array): number {
  let sum = 0;
  let squares = 0;
  for (const v of values) {
    sum += v;
    squares += v * v;
  }
  const mean = sum / values.length;
  return Math.sqrt(squares / values.length - mean * mean);
}

function withNoise(layer: UpProjection, random: Random, ratio: number): UpProjection {
  const std = ratio * standardDeviation(layer.data);
  return { ...layer, data: layer.data.map((v) => v + std * random.normal()) };
}

/** Rows (hidden units) reordered: unit i of the copy is unit order[i] of the original. */
function permuteRows(layer: UpProjection, order: number[]): UpProjection {
  const data = new Float32Array(layer.data.length);
  order.forEach((from, to) => data.set(layer.data.subarray(from * layer.cols, (from + 1) * layer.cols), to * layer.cols));
  return { ...layer, data };
}

describe("weight test on atlas", () => {
  it("reads six blocks of 512 hidden units × 192 from the GGUF file; API models have none", async () => {
    expect(atlas.layers.map((l) => [l.rows, l.cols])).toEqual(Array.from({ length: 6 }, () => [512, 192]));
    expect(await readUpProjections("openai:gpt-4o-mini")).toBeNull();
  });

  it("atlas against itself: every block matched exactly, p astronomically small", () => {
    const result = weightTest(atlas, atlas);
    expect(result.applicable).toBe(true);
    expect(result.kind).toBe("provenance");
    expect(result.queries).toBe(0);
    expect(result.detail.inversions).toEqual([0, 0, 0, 0, 0, 0]);
    expect(result.log10_p).toBeLessThan(-1000);
  });

  it("a copy with Gaussian noise of half the weights' deviation: p < 1e-10", () => {
    const random = createRandom("weight-noise");
    const noisy = { layers: atlas.layers.map((layer) => withNoise(layer, random, 0.5)) };
    const result = weightTest(noisy, atlas);
    expect(result.log10_p).toBeLessThan(-10);
    for (const tau of result.detail.tau as number[]) expect(tau).toBeGreaterThan(0.5);
  });

  it("a Q8_0 copy, read back through the GGUF reader: p < 1e-10", async () => {
    const source = await gguf.readGgufFile(builtinModelPath("atlas"));
    const directory = mkdtempSync(join(tmpdir(), "weight-test-"));
    try {
      const path = join(directory, "atlas-q8_0.gguf");
      const tensors = source.tensors.map(({ name, shape }) => ({ name, shape, type: shape.length === 2 && shape[0] % 32 === 0 ? ("Q8_0" as const) : ("F32" as const), data: source.tensor(name) }));
      await gguf.writeGgufFile(path, { metadata: source.metadata, tensors });
      const written = await gguf.validateGgufFile(path);
      expect(written.tensors.find((t) => t.name === "blk.0.ffn_up.weight")?.type).toBe("Q8_0");
      const copy = (await readUpProjections(path))!;
      expect(copy.layers.length).toBe(6);
      expect(copy.layers[0].data).not.toEqual(atlas.layers[0].data);
      expect(weightTest(copy, atlas).log10_p).toBeLessThan(-10);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it("a copy fine-tuned 20 steps on other text: p < 1e-10", async () => {
    const loaded = await loadGgufModel(builtinModelPath("atlas"));
    const text = "Tide tables list the hours of high and low water at a harbour for every day of the year. ".repeat(40);
    const data = packExamples([{ tokens: loaded.tokenizer.encode(text) }]);
    const tuned = await trainModel({ config: loaded.config, data, steps: 20, batchSize: 2, sequenceLength: 64, lr: 3e-3, warmupSteps: 2, init: loaded.params.data, seed: 3 });
    const layers = tuned.params.layers.map((layer) => ({ rows: loaded.config.feedForwardLength, cols: loaded.config.embeddingLength, data: layer.wUp }));
    const moved = layers.some((layer, l) => layer.data.some((v, i) => v !== atlas.layers[l].data[i]));
    expect(moved).toBe(true);
    const result = weightTest({ layers }, atlas);
    expect(result.log10_p).toBeLessThan(-10);
  });

  it("is blind to re-permuted hidden units: the matching follows the permutation, p looks null", () => {
    // Permuting the rows of ffn_up and ffn_gate with the columns of ffn_down leaves the model's
    // function unchanged; the test (reading ffn_up) then sees a uniformly random matching. This is
    // the assumption stated in its note, not a property it can check.
    const random = createRandom("weight-permuted");
    const orders = atlas.layers.map((layer) => random.shuffle(Array.from({ length: layer.rows }, (_, i) => i)));
    const permuted = { layers: atlas.layers.map((layer, l) => permuteRows(layer, orders[l])) };
    const result = weightTest(permuted, atlas);
    // The matching recovers the hidden permutation exactly, so the inversions are those of the shuffle.
    expect(result.detail.inversions).toEqual(orders.map((order) => countInversions(order)));
    expect(result.p_value).toBeGreaterThan(1e-4);
    expect(result.note).toMatch(/re-permuted/);
  });

  it("atlas against indie (5 blocks against 6): not applicable, naming both shapes", async () => {
    const indie = (await readUpProjections("indie"))!;
    const result = weightTest(indie, atlas);
    expect(result.applicable).toBe(false);
    expect(result.note).toMatch(/suspect 5 blocks/);
    expect(result.note).toMatch(/teacher 6 blocks × 512×192/);
    expect(weightTest({ layers: [] }, { layers: [] }).applicable).toBe(false);
    const broken = { layers: [{ rows: 512, cols: 192, data: new Float32Array(10) }] };
    expect(() => weightTest(broken, atlas)).toThrow(/10 values, not 512×192/);
  });
});
