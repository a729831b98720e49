// Training works end to end: a tiny model overfits a short text, runs are deterministic, a resumed
// run equals an uninterrupted one bit for bit, and the loss mask limits what is learned.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { LlamaConfig } from "../model/config.js";
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

  it("refuses to resume with other settings", async () => {
    const path = join(dir, "other.ckpt");
    await trainModel({ ...base, steps: 2, checkpointPath: path });
    await expect(trainModel({ ...base, lr: 5e-3, checkpointPath: path, resume: true })).rejects.toThrow(/other settings/);
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
});
