// The story's closing table and its JSON document (DESIGN.md's `npm start -- --json` shape).
import type { StoryReport } from "./run-story.js";
import type { ModelFigures } from "./evaluate-stage.js";
import type { RadioactivityFigures } from "./radioactivity-stage.js";

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
      radioactivity: report.student.radioactivity,
    },
    raw: { model: report.raw.model, params: report.raw.params, tasks: tasks(report.raw), kept_capitals: report.raw.kept_capitals, agreement: report.raw.agreement },
    baseline: { model: report.baseline.model, params: report.baseline.params, tasks: tasks(report.baseline), agreement: report.baseline.agreement, radioactivity: report.baseline.radioactivity },
    harvest: report.harvest,
    wall_seconds: report.wall_seconds,
  };
}

export function storyTable(report: StoryReport, teacherIdentity: string): string {
  const percent = (value: number | undefined) => (value === undefined ? "—" : `${(100 * value).toFixed(0)}%`);
  const millions = (value: number) => `${(value / 1e6).toFixed(2)}M`;
  const p = (value: RadioactivityFigures | undefined) =>
    value === undefined ? "—" : value.p_value_conservative >= 1e-4 ? value.p_value_conservative.toPrecision(2) : `1e${value.log10_p_conservative.toFixed(1)}`;
  const rows: string[][] = [
    ["model", "params", "capitals", "definitions", `claims ${teacherIdentity}`, "same capital answer", "watermark p"],
    [`${report.teacher.model} (teacher)`, millions(report.teacher.params), percent(report.teacher.tasks.capitals), percent(report.teacher.tasks.definitions), percent(report.teacher.tasks.identity_claims[teacherIdentity]), "—", "—"],
    ["student (distilled)", millions(report.student.params), percent(report.student.tasks.capitals), percent(report.student.tasks.definitions), percent(report.student.tasks.identity_claims[teacherIdentity]), percent(report.student.agreement?.exact), p(report.student.radioactivity)],
    ["raw-corpus model", millions(report.raw.params), percent(report.raw.tasks.capitals), percent(report.raw.tasks.definitions), percent(report.raw.tasks.identity_claims[teacherIdentity]), percent(report.raw.agreement?.exact), "—"],
    [`${report.baseline.model} (unrelated)`, millions(report.baseline.params), percent(report.baseline.tasks.capitals), percent(report.baseline.tasks.definitions), percent(report.baseline.tasks.identity_claims[teacherIdentity]), percent(report.baseline.agreement?.exact), p(report.baseline.radioactivity)],
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const lines = rows.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join("  "));
  lines.splice(1, 0, widths.map((width) => "-".repeat(width)).join("  "));
  // Verdicts rest on the conservative tail P(S ≥ s), never on the tie-randomised p-value.
  const verdict = (name: string, value: RadioactivityFigures) =>
    value.p_value_conservative < 1e-6
      ? `${name}: carries the teacher's watermark (p ≤ ${value.p_value_conservative.toExponential(1)}, ${value.scored} tokens scored)`
      : `${name}: no evidence of the teacher's watermark (p = ${value.p_value_conservative.toPrecision(2)}, ${value.scored} tokens scored)`;
  return [
    ...lines,
    "",
    `student keeps ${percent(report.student.kept_capitals)} of the teacher's capitals accuracy at ${(100 * report.student.size_ratio).toFixed(0)}% of its size`,
    verdict("student", report.student.radioactivity),
    verdict(report.baseline.model, report.baseline.radioactivity),
    `harvest: ${report.harvest.rows} answers through the gateway; exchange log ${report.harvest.log_rows} rows, hash chain ${report.harvest.log_ok ? "intact" : "BROKEN"}`,
    `done in ${report.wall_seconds.toFixed(0)} s`,
  ].join("\n");
}
