// Evaluation for the story: task accuracy of each model and, against the teacher, the share of
// answers that agree with the teacher's (exact match after normalisation, and token F1).
import { buildEvalTask } from "../../corpus/index.js";
import { evaluateTask, normalizeText, tokenF1, type EvalResult } from "../../distill/evaluate/index.js";
import { loadEngineModelFile } from "../../distill/train/load-engine-model.js";
import { parameterCount } from "../../engine/model/parameters.js";
import { resolveModel } from "../../models/resolve.js";
import type { StoryPlan } from "./plan.js";

const tasks = ["capitals", "definitions", "identity"] as const;

export interface ModelFigures {
  params: number;
  tasks: { capitals: number; definitions: number; definitions_f1: number; identity_claims: Record<string, number> };
  /** Agreement with the teacher's answers to the same capitals prompts (absent for the teacher itself). */
  agreement?: { exact: number; f1: number };
  /** Share of the teacher's capitals accuracy kept. */
  kept_capitals?: number;
  /** The model's answers by item id, for agreement (not part of the JSON report). */
  answers: Map<string, string>;
}

export async function evaluateModel(reference: string, plan: StoryPlan, teacher: ModelFigures | null): Promise<ModelFigures> {
  const file = await loadEngineModelFile(reference);
  const model = await resolveModel(reference);
  const results: Partial<Record<(typeof tasks)[number], EvalResult>> = {};
  const answers = new Map<string, string>();
  try {
    for (const task of tasks) {
      const result = await evaluateTask(model, buildEvalTask(task), { limit: plan.evalLimit, seed: 0, details: true });
      results[task] = result;
      // Agreement is measured where answers are determinate: the capitals questions.
      if (task === "capitals") for (const item of result.items ?? []) answers.set(item.id, item.answer);
    }
  } finally {
    await model.close?.();
  }
  const figures: ModelFigures = {
    params: parameterCount(file.config),
    tasks: {
      capitals: results.capitals!.accuracy,
      definitions: results.definitions!.accuracy,
      definitions_f1: results.definitions!.f1 ?? 0,
      identity_claims: results.identity!.claims ?? {},
    },
    answers,
  };
  Object.defineProperty(figures, "answers", { enumerable: false });
  if (teacher) {
    figures.agreement = agreement(answers, teacher.answers);
    figures.kept_capitals = teacher.tasks.capitals > 0 ? figures.tasks.capitals / teacher.tasks.capitals : 0;
  }
  return figures;
}

function agreement(answers: Map<string, string>, teacher: Map<string, string>): { exact: number; f1: number } {
  let exact = 0;
  let f1 = 0;
  let n = 0;
  for (const [id, answer] of answers) {
    const reference = teacher.get(id);
    if (reference === undefined) continue;
    n++;
    if (normalizeText(answer) === normalizeText(reference)) exact++;
    f1 += tokenF1(answer, reference);
  }
  return { exact: n ? exact / n : 0, f1: n ? f1 / n : 0 };
}
