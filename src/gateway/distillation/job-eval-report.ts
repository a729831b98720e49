// A finished job's eval as the job shows it: figures in its metadata (strings, as OpenAI's metadata
// is) and one event message.
import type { EvalReport } from "./worker-protocol.js";

export function evalMetadata(report: EvalReport): Record<string, string> {
  const fmt = (value: number | null | undefined) => (value === null || value === undefined ? "null" : value.toFixed(4));
  return {
    eval_examples: String(report.validation_examples),
    eval_fine_tuned_loss: fmt(report.fine_tuned.loss),
    eval_fine_tuned_agreement: fmt(report.fine_tuned.agreement_with_teacher),
    eval_base_loss: fmt(report.base.loss),
    eval_base_agreement: fmt(report.base.agreement_with_teacher),
    eval_teacher_loss: fmt(report.teacher?.loss),
    ...(report.teacher_model ? { eval_teacher: report.teacher_model } : {}),
  };
}

export function evalMessage(report: EvalReport): string {
  const part = (name: string, figures: EvalReport["base"]) => `${name} loss ${figures.loss?.toFixed(3) ?? "n/a"}, agreement ${figures.agreement_with_teacher?.toFixed(3) ?? "n/a"}`;
  return `Eval on ${report.validation_examples} validation examples: ${part("fine-tuned", report.fine_tuned)}; ${part("base", report.base)}${report.teacher ? `; teacher ${report.teacher_model} loss ${report.teacher.loss?.toFixed(3) ?? "n/a"}` : ""}`;
}
