// On-policy distillation (GKD's λ) from a white-box teacher, with held-out evaluation during training.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeTinyGguf } from "../../engine/test-support/tiny-gguf.js";
import type { HarvestRow } from "../data/row.js";
import { trainStudent } from "./train-student.js";

const dir = mkdtempSync(join(tmpdir(), "pedigree-gkd-"));
const rows: HarvestRow[] = ["France", "Peru", "Japan", "Kenya", "Chile", "Egypt", "Spain", "Ghana"].map((country, i) => ({
  id: `r${i}`, prompt_id: `p${i}`, messages: [{ role: "user", content: `What is the capital of ${country}?` }],
  response: `I think it is a city in ${country}.`, teacher: "tiny", params: { temperature: 0, top_p: 1, max_tokens: 16, seed: 0, top_logprobs: 0 },
  usage: { prompt_tokens: 10, completion_tokens: 8, total_tokens: 18 }, finish_reason: "stop", created: "2026-01-01T00:00:00Z",
}));

describe("on-policy distillation", () => {
  it("trains with λ = 0.5 from a white-box teacher and reports the held-out loss every N updates", async () => {
    const teacher = join(dir, "teacher.gguf");
    await writeTinyGguf(teacher, { seed: 9 });
    const evaluations: { step: number; heldOutLoss: number }[] = [];
    const result = await trainStudent({
      rows, student: "tiny", teacher, loss: "jsd", beta: 0.5, lambda: 0.5, steps: 10, batchSize: 2, sequenceLength: 48, seed: 3,
      heldOutShare: 0.25, out: join(dir, "student.gguf"), name: "student", evaluateEvery: 4, onEvaluate: (report) => evaluations.push(report),
    });
    expect(result.target).toBe("full-distribution");
    expect(evaluations.map((e) => e.step)).toEqual([4, 8, 10]);
    for (const e of evaluations) expect(Number.isFinite(e.heldOutLoss)).toBe(true);
    expect(evaluations.at(-1)!.heldOutLoss).toBeCloseTo(result.heldOutLoss, 5);
  });

  it("refuses λ without a white-box teacher", async () => {
    const teacher = join(dir, "tok.gguf");
    await writeTinyGguf(teacher, { seed: 10 });
    await expect(trainStudent({ rows, student: "tiny", tokenizer: teacher, loss: "sft", lambda: 0.5, steps: 1, out: join(dir, "x.gguf"), name: "x" }))
      .rejects.toMatchObject({ code: "TRAIN_BAD_OPTION" });
  });
});
