// Every training option of trainStudent takes effect: schedule, accumulation, checkpoints, output type,
// tokenizer choice; an existing output is refused before any training.
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readGgufFile } from "../../engine/gguf/index.js";
import { writeTinyGguf } from "../../engine/test-support/tiny-gguf.js";
import { readCheckpoint } from "../../engine/train/checkpoint.js";
import { makeRow } from "../data/test-support/rows.js";
import { trainStudent, type TrainStudentOptions } from "./train-student.js";

const dir = mkdtempSync(join(tmpdir(), "pedigree-train-options-"));
const rows = ["France", "Peru", "Japan", "Kenya"].map((country) => makeRow(`Capital of ${country}?`, `It is the capital of ${country}.`));
const tokenizerFile = join(dir, "tokenizer.gguf");
await writeTinyGguf(tokenizerFile, { seed: 2 });
let outputs = 0;
const base = (): TrainStudentOptions => ({
  rows, student: "tiny", tokenizer: tokenizerFile, loss: "sft", steps: 4, batchSize: 2, sequenceLength: 32, lr: 0.01,
  out: join(dir, `student-${++outputs}.gguf`), name: "student", heldOutShare: 0,
});

describe("trainStudent options", () => {
  it("warms the learning rate up over warmupSteps", async () => {
    const rates: number[] = [];
    await trainStudent({ ...base(), warmupSteps: 4, onStep: (report) => rates.push(report.lr) });
    expect(rates).toEqual([0.0025, 0.005, 0.0075, 0.01].map((rate) => expect.closeTo(rate, 12)));
  });

  it("accumulates gradAccumulation micro-batches per update", async () => {
    const one = await trainStudent({ ...base(), steps: 2 });
    const three = await trainStudent({ ...base(), steps: 2, gradAccumulation: 3 });
    expect(three.tokensSeen).toBe(3 * one.tokensSeen);
    expect(three.tokensSeen).toBe(2 * 3 * 2 * 32);
  });

  it("writes checkpoints every checkpointEvery updates", async () => {
    const checkpointPath = join(dir, "every.ckpt"), snapshot = join(dir, "snapshot.ckpt");
    await trainStudent({
      ...base(), steps: 10, checkpointPath, checkpointEvery: 3,
      // onStep runs before that update's checkpoint: at update 8 the file on disk is the one of update 6
      onStep: (report) => report.step === 8 && copyFileSync(checkpointPath, snapshot),
    });
    expect((await readCheckpoint(snapshot)).header.step).toBe(6);
    expect((await readCheckpoint(checkpointPath)).header.step).toBe(10);
  });

  it("writes the tensor type asked for (F16 by default)", async () => {
    const f32 = await trainStudent({ ...base(), steps: 1, type: "F32" });
    const f16 = await trainStudent({ ...base(), steps: 1 });
    expect([f32.type, f16.type]).toEqual(["F32", "F16"]);
    expect((await readGgufFile(f32.out)).tensorInfo("blk.0.attn_q.weight")?.type).toBe("F32");
    expect((await readGgufFile(f16.out)).tensorInfo("blk.0.attn_q.weight")?.type).toBe("F16");
  });

  it("uses the built-in atlas's tokenizer when none is named, or one trained on the data with vocabSize", async () => {
    const atlas = await trainStudent({ ...base(), tokenizer: undefined, steps: 1 });
    expect(atlas.tokenizer).toBe("atlas");
    const own = await trainStudent({ ...base(), tokenizer: undefined, vocabSize: 280, steps: 1 });
    expect(own.tokenizer).toBe("data");
    expect(own.config.vocabSize).toBe(280);
    await expect(trainStudent({ ...base(), vocabSize: 280 })).rejects.toMatchObject({ code: "TRAIN_BAD_OPTION" });
  });

  it("refuses an existing output before training, unless force", async () => {
    const options = base();
    writeFileSync(options.out, "precious");
    let steps = 0;
    await expect(trainStudent({ ...options, onStep: () => steps++ })).rejects.toMatchObject({ code: "OUTPUT_EXISTS" });
    expect(steps).toBe(0);
    expect(readFileSync(options.out, "utf8")).toBe("precious");
    await trainStudent({ ...options, steps: 1, force: true });
    expect((await readGgufFile(options.out)).metadata.get("general.name")).toMatchObject({ value: "student" });
    expect(existsSync(options.out)).toBe(true);
  });
});
