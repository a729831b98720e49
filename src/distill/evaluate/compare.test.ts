import { describe, expect, it } from "vitest";
import { compareWithTeacher } from "./compare.js";
import { tableModel } from "./test-support/fake-models.js";
import type { EvalTask } from "./types.js";

const question = [{ role: "user" as const, content: "What is meant by dog?" }];
const definitions: EvalTask = { name: "definitions", items: [{ id: "dog", split: "phrasing", messages: question, references: ["a domesticated canine"] }] };

describe("compareWithTeacher", () => {
  it("keeps the share of the teacher's token F1 on definitions, not of its pass rate", async () => {
    const teacher = tableModel("teacher", { "What is meant by dog?": "A domesticated canine." });
    const student = tableModel("student", { "What is meant by dog?": "A canine." });
    const { result, comparison } = await compareWithTeacher(student, teacher, definitions);
    expect(result.accuracy).toBe(1); // both pass F1 ≥ 0.5, so the pass rates alone would say all was kept
    expect(comparison.teacher).toMatchObject({ accuracy: 1, f1: 1 });
    expect(comparison.kept).toBeCloseTo(result.f1!, 10);
    expect(comparison.kept).toBeLessThan(1);
  });
});
