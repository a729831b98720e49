// The minimal eval of a finished job, as `eval --against` does it: the fine-tuned model, its base and
// the served teacher answer the validation prompts greedily; agreement is the share of answers equal
// to the teacher's (after normalisation), and loss the mean cross-entropy of the file's answers.
import { normalizeText, referenceLogLikelihood, type TrainingRow } from "../../distill/index.js";
import { isTokenModel, type ChatModel } from "../../models/index.js";
import type { EvalFigures, EvalReport } from "./worker-protocol.js";

/** Validation prompts evaluated at most (greedy generation on a background core). */
export const MAX_EVAL_EXAMPLES = 100;
const MAX_ANSWER_TOKENS = 64;

async function answers(model: ChatModel, rows: TrainingRow[]): Promise<string[]> {
  const out: string[] = [];
  for (const row of rows) out.push((await model.generate({ messages: row.messages, temperature: 0, maxTokens: MAX_ANSWER_TOKENS, seed: 0 })).text);
  return out;
}

async function meanLoss(model: ChatModel, rows: TrainingRow[]): Promise<number | null> {
  if (!isTokenModel(model)) return null;
  let total = 0;
  let count = 0;
  for (const row of rows) {
    const logLikelihood = await referenceLogLikelihood(model, row.messages, row.response).catch(() => Number.NaN);
    if (!Number.isFinite(logLikelihood)) continue;
    total -= logLikelihood;
    count++;
  }
  return count > 0 ? total / count : null;
}

const share = (a: string[], b: string[]) => a.filter((text, i) => normalizeText(text) === normalizeText(b[i]!)).length / Math.max(1, a.length);

export async function evaluateJob(models: { fineTuned: ChatModel; base: ChatModel; teacher: ChatModel | null; teacherName: string | null }, allRows: TrainingRow[]): Promise<EvalReport> {
  const rows = allRows.slice(0, MAX_EVAL_EXAMPLES);
  const references = rows.map((row) => row.response);
  const teacherAnswers = models.teacher ? await answers(models.teacher, rows) : null;
  const figures = async (model: ChatModel): Promise<EvalFigures> => {
    const mine = await answers(model, rows);
    return { loss: await meanLoss(model, rows), agreement_with_teacher: teacherAnswers ? share(mine, teacherAnswers) : null, matches_reference: share(mine, references) };
  };
  return {
    validation_examples: rows.length,
    fine_tuned: await figures(models.fineTuned),
    base: await figures(models.base),
    teacher: models.teacher && teacherAnswers ? { loss: await meanLoss(models.teacher, rows), agreement_with_teacher: 1, matches_reference: share(teacherAnswers, references) } : null,
    teacher_model: models.teacherName,
  };
}
