// Training works end to end: a tiny model overfits a short text, runs are deterministic, a resumed
// run equals an uninterrupted one bit for bit, and the loss mask limits what is learned.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { LlamaConfig } from "../model/config.js";
import { kernelName, setKernelThreads } from "../kernels/index.js";
import { LlamaModel } from "../model/llama-model.js";
import { readCheckpoint } from "./checkpoint.js";
import { trainModel, type TrainOptions } from "./trainer.js";
import { packExamples } from "./training-data.js";

const config: LlamaConfig = {
  vocabSize: 40, contextLength: 32, embeddingLength: 32, blockCount: 2, headCount: 4, headCountKv: 2,
  feedForwardLength: 64, rmsEps: 1e-5, ropeBase: 10000, tiedOutput: true,
};
const text = "the quick brown fox jumps over the lazy dog; pack my box with five dozen liquor jugs. ";
const tokens = Array.from(text.repeat(8), (ch) => (ch.charCodeAt(0) - 32) % 40);
const dir = mkdtempSync(join(tmpdir(), "pedigree-train-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base: TrainOptions = { config, data: packExamples([{ tokens }]), steps: 8, batchSize: 4, sequenceLength: 32, lr: 1e-2, seed: 7 };

describe("trainModel", () => {
  it("evaluates every N updates and after the last, on the current parameters", async () => {
    const seen: [number, number][] = [];
    await trainModel({ ...base, evaluate: { every: 3, run: (step, params) => { seen.push([step, params.data[0]!]); } } });
    expect(seen.map(([step]) => step)).toEqual([3, 6, 8]);
    expect(new Set(seen.map(([, value]) => value)).size).toBe(3);
  });

  it("overfits a short text to near-zero loss", async () => {
    const result = await trainModel({ ...base, steps: 150, warmupSteps: 10, weightDecay: 0 });
    expect(result.losses[0]).toBeGreaterThan(3);
    expect(result.losses.at(-1)!).toBeLessThan(0.1);
  });

  it("is deterministic and resumes exactly from a checkpoint", async () => {
    const straight = await trainModel(base);
    const again = await trainModel(base);
    expect(again.params.data).toEqual(straight.params.data);
    const path = join(dir, "run.ckpt");
    const aborter = new AbortController();
    await trainModel({ ...base, checkpointPath: path, onStep: (r) => { if (r.step === 3) aborter.abort(); }, signal: aborter.signal });
    expect((await readCheckpoint(path)).header.step).toBe(3);
    const resumed = await trainModel({ ...base, checkpointPath: path, resume: true });
    expect(resumed.steps).toBe(8);
    expect(resumed.losses).toEqual(straight.losses.slice(3));
    expect(Buffer.from(resumed.params.data.buffer).equals(Buffer.from(straight.params.data.buffer))).toBe(true);
  });

  it.skipIf(kernelName() !== "native")("gives bit-identical results on one thread and on two", async () => {
    // wide enough that the matrix products are split over threads
    const wide = { ...base, steps: 3, config: { ...config, embeddingLength: 64, feedForwardLength: 192 } };
    const previous = setKernelThreads(1);
    const one = await trainModel(wide);
    setKernelThreads(2);
    const two = await trainModel(wide);
    setKernelThreads(previous);
    expect(Buffer.from(two.params.data.buffer).equals(Buffer.from(one.params.data.buffer))).toBe(true);
  });

  it("reports a damaged checkpoint clearly", async () => {
    const path = join(dir, "damaged.ckpt");
    await trainModel({ ...base, steps: 1, checkpointPath: path });
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, bytes.length - 8));
    await expect(readCheckpoint(path)).rejects.toThrow(/truncated or damaged/);
    writeFileSync(path, Buffer.concat([Buffer.from("NOTACKPT"), bytes.subarray(8)]));
    await expect(trainModel({ ...base, checkpointPath: path, resume: true })).rejects.toMatchObject({ pedigree: true, code: "CHECKPOINT_INVALID", message: expect.stringMatching(/wrong magic/) });
  });

  it("refuses to resume with other settings", async () => {
    const path = join(dir, "other.ckpt");
    await trainModel({ ...base, steps: 2, checkpointPath: path });
    await expect(trainModel({ ...base, lr: 5e-3, checkpointPath: path, resume: true })).rejects.toMatchObject({ code: "CHECKPOINT_INVALID", message: expect.stringMatching(/other settings/) });
  });

  it("learns only the masked-in targets", async () => {
    // two "turns": a prompt token run (masked out) and an answer run (trained)
    const example = { tokens: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], lossMask: [0, 0, 0, 0, 0, 1, 1, 1, 1, 1] };
    const data = packExamples(Array.from({ length: 20 }, () => example));
    const result = await trainModel({ ...base, data, steps: 1, sequenceLength: 16, batchSize: 2 });
    expect(result.losses[0]).toBeGreaterThan(0);
    const noTargets = packExamples([{ tokens: Array(40).fill(3), lossMask: Array(40).fill(0) }]);
    const idle = await trainModel({ ...base, data: noTargets, steps: 1, sequenceLength: 16, batchSize: 2 });
    expect(Number.isNaN(idle.losses[0])).toBe(true);
  });

  it("accumulating two micro-batches of 2 equals one batch of 4", async () => {
    const one = await trainModel({ ...base, steps: 3, batchSize: 4 });
    const two = await trainModel({ ...base, steps: 3, batchSize: 2, gradAccumulation: 2 });
    for (let i = 0; i < one.params.data.length; i++) expect(Math.abs(one.params.data[i] - two.params.data[i])).toBeLessThan(1e-5);
    expect(two.tokensSeen).toBe(one.tokensSeen);
  });

  it("distils from a full teacher and from sparse top-k teacher log-probabilities", async () => {
    const teacherRun = await trainModel({ ...base, steps: 60, weightDecay: 0 });
    const teacher = new LlamaModel(config, teacherRun.params);
    const full = await trainModel({ ...base, steps: 30, seed: 8, loss: { kind: "kl", temperature: 1 }, teacher });
    expect(full.losses.at(-1)!).toBeLessThan(full.losses[0] / 2);
    // sparse: the teacher's top-4 log-probabilities for every token of the text
    const k = 4, ids = new Int32Array(tokens.length * k), logprobs = new Float32Array(tokens.length * k);
    const T = 32;
    for (let start = 0; start + T <= tokens.length; start += T) {
      const logits = teacher.forward(Int32Array.from(tokens.slice(start, start + T)), 1, T);
      for (let t = 0; t + 1 < T; t++) {
        const row = Array.from(logits.subarray(t * config.vocabSize, (t + 1) * config.vocabSize));
        const max = Math.max(...row), lse = max + Math.log(row.reduce((s, x) => s + Math.exp(x - max), 0));
        const order = row.map((_, j) => j).sort((a, b) => row[b] - row[a]).slice(0, k);
        order.forEach((id, i) => { ids[(start + t + 1) * k + i] = id; logprobs[(start + t + 1) * k + i] = row[id] - lse; });
      }
    }
    const data = packExamples([{ tokens, teacher: { k, ids, logprobs } }], k);
    const sparse = await trainModel({ ...base, data, steps: 30, seed: 8, loss: { kind: "jsd", beta: 0.5, ceWeight: 0.2 } });
    expect(sparse.losses.at(-1)!).toBeLessThan(sparse.losses[0] * 0.6);
  });
});
