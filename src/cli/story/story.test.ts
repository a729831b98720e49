import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeTinyGguf } from "../../engine/test-support/tiny-gguf.js";
import { runStory } from "./run-story.js";
import { storyJson, storyTable } from "./summary.js";
import type { StoryPlan } from "./plan.js";

const plan: StoryPlan = {
  harvestPrompts: 8,
  harvestMaxTokens: 8,
  harvestTemperature: 0,
  concurrency: 2,
  studentSize: "tiny",
  studentSteps: 3,
  batchSize: 2,
  sequenceLength: 32,
  evalLimit: 1,
  auditBudget: 60,
  auditAgreementPrompts: 10,
  radioactivityMaxTokens: 8,
};

describe("the end-to-end story", () => {
  it("runs every stage on fixture models and reports in the DESIGN.md shape", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pedigree-story-"));
    await writeTinyGguf(join(dir, "teacher.gguf"), { seed: 11, vocabSize: 400 });
    await writeTinyGguf(join(dir, "baseline.gguf"), { seed: 12, vocabSize: 360 });
    const notes: string[] = [];
    const report = await runStory({ plan, directory: join(dir, "story"), teacher: join(dir, "teacher.gguf"), baseline: join(dir, "baseline.gguf"), seed: 1, note: (m) => notes.push(m) });
    const json = storyJson(report) as Record<string, any>;
    expect(json.teacher.params).toBeGreaterThan(0);
    expect(json.student.params).toBeGreaterThan(0);
    expect(json.harvest).toMatchObject({ rows: plan.harvestPrompts, log_rows: plan.harvestPrompts, log_ok: true });
    expect(json.exchanges).toMatchObject({ rows: plan.harvestPrompts, ok: true });
    for (const suspect of [json.student, json.raw, json.baseline]) {
      // Every audit ran within its budget and scored the exchange log's answers; the suspects are GGUF
      // files, so reading mode replaced the closed-model test.
      expect(Object.keys(suspect.audit.tests).sort()).toEqual(["agreement", "agreement_span", "identity", "radioactivity", "radioactivity_reading", "training_order", "weights"]);
      expect(suspect.audit.tests.radioactivity_reading.applicable).toBe(true);
      expect(suspect.radioactivity.test).toBe("radioactivity_reading");
      expect(suspect.audit.queries).toBeLessThanOrEqual(plan.auditBudget);
      expect(suspect.radioactivity.scored).toBeGreaterThan(0);
      expect(suspect.radioactivity.p_value).toBeGreaterThanOrEqual(suspect.radioactivity.p_value_randomized * (1 - 1e-12));
    }
    // Verdicts on these random fixture models mean little; story-process.test.ts checks them on the built-in models.
    expect(["derived", "resembles", "no_evidence"]).toContain(json.baseline.audit.verdict);
    expect(existsSync(join(dir, "story", "audit-baseline", "report.html"))).toBe(true);
    expect(existsSync(join(dir, "story", "audit-student", "report.html"))).toBe(true);
    expect(existsSync(join(dir, "story", "watermark.key"))).toBe(true);
    expect(notes.some((line) => line.startsWith("7/7"))).toBe(true);
    expect(storyTable(report, "Atlas")).toContain("student (distilled)");
  });
});
