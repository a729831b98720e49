// The story's closing table and its JSON document (DESIGN.md's `npm start -- --json` shape).
import { formatPValue } from "../../audit/index.js";
import type { AuditFigures } from "./audit-stage.js";
import type { ModelFigures } from "./evaluate-stage.js";
import type { StoryReport } from "./run-story.js";

/** The watermark test that ran: reading mode for a white-box suspect, else the closed-model test. */
const watermarkTest = (audit: AuditFigures) => audit.tests.find((t) => t.name.startsWith("radioactivity") && t.applicable);

/** The audit's radioactivity test in the story's JSON: the conservative p-value the verdict used. */
function radioactivity(audit: AuditFigures): Record<string, unknown> {
  const test = watermarkTest(audit);
  if (!test) return { p_value: null };
  const d = test.detail as Record<string, unknown>;
  return {
    test: test.name,
    p_value: test.p_value,
    log10_p: test.log10_p,
    p_value_randomized: d.p_value_randomized,
    scored: d.scored,
    tokens: d.tokens,
    scored_tokens_to_1e_6: d.scored_tokens_to_target,
  };
}

function auditJson(audit: AuditFigures): Record<string, unknown> {
  return {
    verdict: audit.verdict,
    sentence: audit.sentence,
    report: `${audit.directory}/report.html`,
    queries: audit.queries,
    tests: Object.fromEntries(audit.tests.map((t) => [t.name, { kind: t.kind, applicable: t.applicable, p_value: t.p_value, p_holm: t.p_holm, rejected: t.rejected }])),
  };
}

export function storyJson(report: StoryReport): unknown {
  const tasks = (figures: ModelFigures) => ({ ...figures.tasks });
  return {
    teacher: { model: report.teacher.model, params: report.teacher.params, tasks: tasks(report.teacher) },
    student: {
      model: report.student.model,
      params: report.student.params,
      size_ratio: report.student.size_ratio,
      loss: report.student.loss,
      tasks: tasks(report.student),
      kept_capitals: report.student.kept_capitals,
      agreement: report.student.agreement,
      radioactivity: radioactivity(report.student.audit),
      audit: auditJson(report.student.audit),
    },
    raw: {
      model: report.raw.model, params: report.raw.params, tasks: tasks(report.raw), kept_capitals: report.raw.kept_capitals, agreement: report.raw.agreement,
      radioactivity: radioactivity(report.raw.audit), audit: auditJson(report.raw.audit),
    },
    baseline: {
      model: report.baseline.model, params: report.baseline.params, tasks: tasks(report.baseline), agreement: report.baseline.agreement,
      radioactivity: radioactivity(report.baseline.audit), audit: auditJson(report.baseline.audit),
    },
    harvest: report.harvest,
    exchanges: report.exchanges,
    wall_seconds: report.wall_seconds,
  };
}

const formatP = (log10: number | undefined) => (log10 === undefined ? "—" : formatPValue(log10));

export function storyTable(report: StoryReport, teacherIdentity: string): string {
  const percent = (value: number | undefined) => (value === undefined ? "—" : `${(100 * value).toFixed(0)}%`);
  const millions = (value: number) => `${(value / 1e6).toFixed(2)}M`;
  const watermark = (audit: AuditFigures) => formatP(watermarkTest(audit)?.log10_p);
  const row = (label: string, figures: ModelFigures, audit: AuditFigures | null, agreement: boolean) => [
    label, millions(figures.params), percent(figures.tasks.capitals), percent(figures.tasks.definitions_f1), percent(figures.tasks.identity_claims[teacherIdentity]),
    agreement ? percent(figures.agreement?.exact) : "—", audit ? watermark(audit) : "—", audit ? audit.verdict : "—",
  ];
  const rows: string[][] = [
    ["model", "params", "capitals", "definitions F1", `claims ${teacherIdentity}`, "same capital answer", "watermark p", "audit verdict"],
    row(`${report.teacher.model} (teacher)`, report.teacher, null, false),
    row("student (distilled)", report.student, report.student.audit, true),
    row("raw-corpus model", report.raw, report.raw.audit, true),
    row(`${report.baseline.model} (unrelated)`, report.baseline, report.baseline.audit, true),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((r) => r[column]!.length)));
  const lines = rows.map((r) => r.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join("  "));
  lines.splice(1, 0, widths.map((width) => "-".repeat(width)).join("  "));
  return [
    ...lines,
    "",
    `student keeps ${percent(report.student.kept_capitals)} of the teacher's capitals accuracy at ${(100 * report.student.size_ratio).toFixed(0)}% of its size`,
    `student: ${report.student.audit.sentence}`,
    `raw-corpus model: ${report.raw.audit.sentence}`,
    `${report.baseline.model}: ${report.baseline.audit.sentence}`,
    `reports: ${[report.student.audit, report.raw.audit, report.baseline.audit].map((a) => `${a.directory}/report.html`).join(", ")}`,
    `harvest: ${report.harvest.rows} answers through the gateway; exchange log ${report.harvest.log_rows} rows, hash chain ${report.harvest.log_ok ? "intact" : "BROKEN"}`,
    `done in ${report.wall_seconds.toFixed(0)} s`,
  ].join("\n");
}
