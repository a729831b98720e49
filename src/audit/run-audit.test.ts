import { mkdtempSync, readFileSync, truncateSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { identityProbes } from "./identity-probes.js";
import { defaultPlanSizes, type AuditPlan } from "./plan.js";
import { runAudit, type AuditOptions } from "./run-audit.js";
import { testResult } from "./test-result.js";
import type { ProvenanceTest } from "./provenance-phase.js";
import { writeAuditReport } from "./write-report.js";
import { retryableError, scriptedModel, type ScriptedModel } from "./test-support/scripted-model.js";

const prompts = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `q${i}`, messages: [{ role: "user" as const, content: `question ${i}` }] }));

const plan: AuditPlan = { ...defaultPlanSizes, identityProbes: identityProbes().slice(0, 10), agreementPrompts: prompts(40), radioactivityPrompts: [] };

function models() {
  const teacher = scriptedModel("teacher", (p) => (p.startsWith("question") ? `Alpha ${p}` : "I am Atlas from Northwind AI."));
  const suspect = scriptedModel("suspect", (p) => (p.startsWith("question") ? (Number(p.split(" ")[1]) % 5 === 0 ? "Beta" : `Alpha ${p}`) : "I'm Atlas."));
  const r1 = scriptedModel("r1", (p) => (p.startsWith("question") ? "Beta one" : "I am Juniper."));
  const r2 = scriptedModel("r2", (p) => (p.startsWith("question") ? "Gamma" : "I am Sage."));
  return { teacher, suspect, r1, r2 };
}

function options(directory: string, m: Record<string, ScriptedModel>, extra: Partial<AuditOptions> = {}): AuditOptions {
  return {
    suspect: { role: "suspect", reference: "suspect", model: m.suspect! },
    teacher: { role: "teacher", reference: "teacher", model: m.teacher! },
    references: [{ role: "reference", reference: "r1", model: m.r1! }, { role: "reference", reference: "r2", model: m.r2! }],
    plan,
    directory,
    alpha: 0.01,
    seed: 3,
    budget: 1000,
    identity: { name: "Atlas", vendor: "Northwind AI" },
    sleep: async () => {},
    now: () => new Date(0),
    ...extra,
  };
}

const totalCalls = (m: Record<string, ScriptedModel>) => Object.values(m).reduce((n, model) => n + model.calls.length, 0);

describe("runAudit", () => {
  it("tells resemblance without a provenance test, and asks greedily", async () => {
    const m = models();
    const report = await runAudit(options(mkdtempSync(join(tmpdir(), "audit-")), m));
    expect(report.verdict).toBe("resembles");
    expect(report.tests.map((t) => t.name)).toEqual(["identity", "agreement", "agreement_span"]);
    expect(m.suspect.calls.every((call) => call.temperature === 0)).toBe(true);
    expect(report.queries).toEqual({ suspect: 50, teacher: 40, references: 100 });
    expect(report.sentence).toMatch(/shared training data/);
  });

  it("skips the agreement test once a provenance test decides, and runs it with sequential stopping off", async () => {
    const rules: (number | undefined)[] = [];
    const decisive: ProvenanceTest = {
      name: "weights", notApplicable: null,
      run: async ({ rule }) => {
        rules.push(rule?.stopLogP);
        return testResult({ name: "weights", kind: "provenance", statistic: 1, logP: -50, queries: 0, detail: {} });
      },
    };
    let costlyRuns = 0;
    const costly: ProvenanceTest = { name: "training_order", notApplicable: null, costly: true, run: async () => { costlyRuns++; return testResult({ name: "training_order", kind: "provenance", statistic: 0, logP: -1, queries: 5, detail: {} }); } };
    const m = models();
    const report = await runAudit(options(mkdtempSync(join(tmpdir(), "audit-")), m, { provenance: [decisive, costly] }));
    expect(report.verdict).toBe("derived");
    expect(report.sentence).toMatch(/carries teacher's weights/);
    expect(report.tests.map((t) => [t.name, t.applicable])).toEqual([["identity", true], ["weights", true], ["training_order", false], ["agreement", false], ["agreement_span", false]]);
    expect(costlyRuns).toBe(0);
    expect(report.queries.suspect).toBe(10);
    expect(m.teacher.calls.length).toBe(0);

    const full = await runAudit(options(mkdtempSync(join(tmpdir(), "audit-")), models(), { provenance: [decisive, costly], sequential: false }));
    expect(full.tests.every((t) => t.applicable)).toBe(true);
    expect(costlyRuns).toBe(1);
    expect(full.verdict).toBe("derived");
    // Two provenance tests apply (this one and the costly one): the stopping level is α/2; none without stopping.
    expect(rules).toEqual([Math.log(0.01 / 2), undefined]);
  });

  it("asks the suspect the candidate prompts where the teacher and the references disagree", async () => {
    const m = models();
    // On questions 20–29 the teacher's first word is r1's ("Beta"): those prompts cannot tell the two apart.
    m.teacher = scriptedModel("teacher", (p) => (p.startsWith("question") ? (Number(p.split(" ")[1]) >= 20 ? "Beta two" : `Alpha ${p}`) : "I am Atlas from Northwind AI."));
    const all = prompts(30);
    const report = await runAudit(options(mkdtempSync(join(tmpdir(), "audit-")), m, { plan: { ...plan, agreementPrompts: all.slice(20, 30), agreementPool: all.slice(0, 10) } }));
    const asked = m.suspect.calls.map((call) => call.messages.at(-1)!.content).filter((text) => text.startsWith("question"));
    expect(asked.sort()).toEqual(all.slice(0, 10).map((p) => p.messages[0]!.content).sort());
    expect(m.teacher.calls.filter((call) => call.messages.at(-1)!.content.startsWith("question")).length).toBe(20);
    expect(report.tests.find((t) => t.name === "agreement")!.detail.prompts).toBe(10);
  });

  it("resumes from the transcript without asking again, and a rerun gives the same report byte for byte", async () => {
    const directory = mkdtempSync(join(tmpdir(), "audit-"));
    const first = models();
    const report1 = await runAudit(options(directory, first));
    writeAuditReport(directory, report1);
    const bytes = readFileSync(join(directory, "report.json"), "utf8");
    // A kill during a write leaves at most a torn last line.
    const transcript = join(directory, "transcript.jsonl");
    truncateSync(transcript, statSync(transcript).size - 7);
    const second = models();
    const report2 = await runAudit(options(directory, second));
    expect(totalCalls(second)).toBe(1);
    const third = models();
    const report3 = await runAudit(options(directory, third));
    expect(totalCalls(third)).toBe(0);
    writeAuditReport(directory, report3);
    expect(report2.verdict).toBe(report1.verdict);
    expect(readFileSync(join(directory, "report.json"), "utf8")).not.toBe("");
    const rerun = readFileSync(join(directory, "report.json"), "utf8");
    writeAuditReport(directory, await runAudit(options(directory, models())));
    expect(readFileSync(join(directory, "report.json"), "utf8")).toBe(rerun);
    expect(JSON.parse(bytes).tests).toEqual(JSON.parse(rerun).tests);
  });

  it("retries timeouts, 5xx and empty answers, and leaves a failure out instead of scoring it", async () => {
    const m = models();
    let flaky = 0;
    m.suspect = scriptedModel("suspect", (p) => {
      if (p === "question 1" && flaky++ < 2) return retryableError();
      if (p === "question 2") return "   ";
      if (p === "question 3") return retryableError();
      return p.startsWith("question") ? `Alpha ${p}` : "I'm Atlas.";
    });
    const waits: number[] = [];
    const directory = mkdtempSync(join(tmpdir(), "audit-"));
    const report = await runAudit(options(directory, m, { sleep: async (ms) => { waits.push(ms); } }));
    const agreement = report.tests.find((t) => t.name === "agreement")!;
    expect(agreement.detail.prompts).toBe(38);
    expect(report.tallies.suspect!.failed).toBe(2);
    expect(waits.slice(0, 2)).toEqual([500, 1000]);
    const lines = readFileSync(join(directory, "transcript.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line));
    expect(lines.filter((line) => line.answer === null).map((line) => line.error)).toEqual(["empty answer", expect.stringMatching(/503/)]);
  });

  it("stops at the budget and reports what it had", async () => {
    const m = models();
    const report = await runAudit(options(mkdtempSync(join(tmpdir(), "audit-")), m, { budget: 20 }));
    expect(m.suspect.calls.length).toBe(20);
    expect(report.tallies.suspect!.budget_exhausted).toBe(true);
    expect(report.tests.find((t) => t.name === "agreement")!.detail.prompts).toBe(10);
  });

  it("reuses another audit's answers for the same model and question, and copies them into its own transcript", async () => {
    const first = mkdtempSync(join(tmpdir(), "audit-"));
    await runAudit(options(first, models()));
    const second = mkdtempSync(join(tmpdir(), "audit-"));
    const m = models();
    m.suspect = scriptedModel("other", (p) => (p.startsWith("question") ? "Gamma" : "I am Sage."));
    const o = options(second, m, { reuseTranscripts: [join(first, "transcript.jsonl")] });
    const report = await runAudit({ ...o, suspect: { role: "suspect", reference: "other", model: m.suspect } });
    expect(m.teacher.calls.length + m.r1.calls.length + m.r2.calls.length).toBe(0);
    expect(m.suspect.calls.length).toBe(50);
    const lines = readFileSync(join(second, "transcript.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line));
    expect(lines.filter((line) => line.model === "teacher").length).toBe(40);
    expect(report.verdict).toBe("no_evidence");
  });

  it("refuses fewer than two references before asking anything", async () => {
    const m = models();
    const o = options(mkdtempSync(join(tmpdir(), "audit-")), m);
    await expect(runAudit({ ...o, references: o.references.slice(0, 1) })).rejects.toMatchObject({ code: "AUDIT_TOO_FEW_REFERENCES" });
    expect(totalCalls(m)).toBe(0);
  });
});
