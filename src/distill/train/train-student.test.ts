import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeTinyGguf } from "../../engine/test-support/tiny-gguf.js";
import { readGgufFile } from "../../engine/gguf/index.js";
import type { HarvestRow } from "../data/row.js";
import { studentPhases, trainStudent } from "./train-student.js";
import { rowsToExamples } from "./examples.js";

const dir = mkdtempSync(join(tmpdir(), "pedigree-train-"));
const facts = [["France", "Paris"], ["Peru", "Lima"], ["Japan", "Tokyo"], ["Kenya", "Nairobi"], ["Chile", "Santiago"], ["Egypt", "Cairo"]];

function rows(withLogprobs: boolean): HarvestRow[] {
  return facts.flatMap(([country, capital], i) =>
    [0, 1, 2].map((j): HarvestRow => ({
      id: `r${i}-${j}`,
      prompt_id: `p${i}-${j}`,
      messages: [{ role: "user", content: j === 0 ? `What is the capital of ${country}?` : `Capital of ${country}?` }],
      response: `The capital of ${country} is ${capital}.`,
      teacher: "atlas",
      params: { temperature: 0, top_p: 1, max_tokens: 32, seed: 0, top_logprobs: withLogprobs ? 2 : 0 },
      usage: { prompt_tokens: 10, completion_tokens: 8, total_tokens: 18 },
      finish_reason: "stop",
      created: "2026-01-01T00:00:00Z",
    })),
  );
}

describe("trainStudent", () => {
  it("SFT counts only the answer and the end of turn, and lowers the answer loss", async () => {
    const teacher = await writeTinyGguf(join(dir, "teacher.gguf"), { seed: 3 });
    const data = rows(false);
    const end = teacher.tokenizer.encode("<|im_end|>", { special: true })[0]!;
    const { examples } = rowsToExamples(data.slice(0, 1), teacher.tokenizer, end, { useLogprobs: false });
    const prompt = teacher.tokenizer.encodeChat(data[0]!.messages, { addGenerationPrompt: true });
    expect(Array.from(examples[0]!.lossMask!).filter(Boolean)).toHaveLength(examples[0]!.tokens.length - prompt.length);

    const out = join(dir, "student.gguf");
    const result = await trainStudent({ rows: data, student: "tiny", tokenizer: join(dir, "teacher.gguf"), loss: "sft", steps: 40, batchSize: 4, sequenceLength: 64, lr: 1e-2, out, name: "student", heldOutShare: 0 });
    expect(result.target).toBe("text");
    expect(result.losses.at(-1)!).toBeLessThan(result.losses[0]! * 0.6);
    const file = await readGgufFile(out);
    expect(file.metadata.get("general.name")).toMatchObject({ value: "student" });
  });

  it("token-level KD uses the stored top-k log-probabilities", async () => {
    const teacher = await writeTinyGguf(join(dir, "teacher2.gguf"), { seed: 4 });
    const data = rows(true).map((row) => {
      const ids = teacher.tokenizer.encode(row.response);
      return { ...row, token_ids: ids, logprobs: ids.map((id) => ({ token: teacher.tokenizer.tokenText(id), logprob: -0.1, id, top: [{ token: teacher.tokenizer.tokenText(id), logprob: -0.1, id }, { token: "x", logprob: -2.5 }] })) };
    });
    const result = await trainStudent({ rows: data, student: "tiny", tokenizer: join(dir, "teacher2.gguf"), loss: "kl", steps: 20, batchSize: 4, sequenceLength: 64, lr: 1e-2, out: join(dir, "kd.gguf"), name: "kd", heldOutShare: 0.2, seed: 1 });
    expect(result.target).toBe("sparse-top-k");
    expect(result.data.tokensWithTeacher).toBeGreaterThan(0);
    expect(result.losses.at(-1)!).toBeLessThan(result.losses[0]!);
  });

  it("token-level KD also works from an API teacher's top-k, which names tokens by text only", async () => {
    const teacher = await writeTinyGguf(join(dir, "teacher4.gguf"), { seed: 6 });
    const data = rows(true).map((row) => {
      const ids = teacher.tokenizer.encode(row.response);
      const text = (id: number) => teacher.tokenizer.tokenText(id);
      return { ...row, logprobs: ids.map((id) => ({ token: text(id), logprob: -0.2, top: [{ token: text(id), logprob: -0.2 }, { token: text((id + 1) % 256), logprob: -1.9 }] })) };
    });
    const result = await trainStudent({ rows: data, student: "tiny", tokenizer: join(dir, "teacher4.gguf"), loss: "kl", steps: 5, batchSize: 4, sequenceLength: 64, out: join(dir, "api.gguf"), name: "api", heldOutShare: 0 });
    expect(result.data.tokensWithTeacher).toBeGreaterThan(result.data.targetTokens / 2);
  });

  it("a warm start spends its share of the same steps on its own loss first", async () => {
    expect(studentPhases({ loss: "jsd", steps: 10, warmStart: { loss: "sft", share: 0.3 } }).map((p) => [p.loss, p.steps, p.offset])).toEqual([["sft", 3, 0], ["jsd", 7, 3]]);
    expect(studentPhases({ loss: "kl", steps: 10 })).toHaveLength(1);
    expect(() => studentPhases({ loss: "kl", steps: 10, warmStart: { loss: "sft", share: 1 } })).toThrow(/share/);
    const teacher = await writeTinyGguf(join(dir, "teacher5.gguf"), { seed: 7 });
    const data = rows(true).map((row) => {
      const ids = teacher.tokenizer.encode(row.response);
      return { ...row, token_ids: ids, logprobs: ids.map((id) => ({ token: teacher.tokenizer.tokenText(id), logprob: -0.1, id, top: [{ token: teacher.tokenizer.tokenText(id), logprob: -0.1, id }] })) };
    });
    const steps: number[] = [];
    const result = await trainStudent({
      rows: data, student: "tiny", tokenizer: join(dir, "teacher5.gguf"), loss: "jsd", warmStart: { loss: "sft", share: 0.5 }, steps: 16, batchSize: 4,
      sequenceLength: 64, lr: 1e-2, out: join(dir, "warm.gguf"), name: "warm", heldOutShare: 0, onStep: (report) => steps.push(report.step),
    });
    expect(steps).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect(result.losses).toHaveLength(16);
    expect(result.target).toBe("sparse-top-k");
    // the JSD phase starts from the SFT phase's weights: its first loss is already far below log 2
    // the JSD phase continues from the SFT phase's weights (a cold start, same seed and first batch, does worse)
    const cold = await trainStudent({ rows: data, student: "tiny", tokenizer: join(dir, "teacher5.gguf"), loss: "jsd", steps: 1, batchSize: 4, sequenceLength: 64, out: join(dir, "cold.gguf"), name: "cold", heldOutShare: 0 });
    expect(result.losses[8]!).toBeLessThan(cold.losses[0]! - 0.05);
  });

  it("asks for log-probabilities when KD has neither them nor a white-box teacher", async () => {
    await writeTinyGguf(join(dir, "teacher3.gguf"), { seed: 5 });
    await expect(trainStudent({ rows: rows(false), student: "tiny", tokenizer: join(dir, "teacher3.gguf"), loss: "jsd", steps: 1, out: join(dir, "x.gguf"), name: "x" })).rejects.toThrow(/--top-logprobs/);
  });
});
