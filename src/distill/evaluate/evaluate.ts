// evaluateTask: run a model greedily (temperature 0) over a task's prompts and score the answers.
//   capitals     correct when a reference capital appears in the answer (question's country ignored)
//   definitions  token F1 against the gloss; correct when F1 ≥ 0.5; log-likelihood on TokenModels
//   identity     which known identities the answer claims; correct when it claims the expected one only
import { isTokenModel, type ChatModel } from "../../models/spec.js";
import { DistillError } from "../data/errors.js";
import { referenceLogLikelihood } from "./likelihood.js";
import { selectItems } from "./select.js";
import { summarize } from "./summarize.js";
import { claimedIdentities, containsAnswer, tokenF1 } from "./text-match.js";
import type { EvalItem, EvalResult, EvalTask, EvaluateOptions, ItemOutcome } from "./types.js";

const answerTokens = { capitals: 32, definitions: 48, identity: 48 } as const;
export const definitionPassF1 = 0.5;

export async function evaluateTask(model: ChatModel, task: EvalTask, options: EvaluateOptions = {}): Promise<EvalResult> {
  if (!(task.name in answerTokens)) throw new DistillError("EVAL_UNKNOWN_TASK", `no evaluation task '${task.name}'; use capitals, definitions or identity`);
  const items = selectItems(task.items, options.limit, options.seed ?? 0);
  if (items.length === 0) throw new DistillError("EVAL_EMPTY_TASK", `task '${task.name}' has no items to evaluate`);
  const expected = options.expectedIdentity ?? null;
  const outcomes: ItemOutcome[] = [];
  for (const item of items) {
    const result = await model.generate({
      messages: item.messages,
      temperature: 0,
      seed: options.seed ?? 0,
      maxTokens: options.maxTokens ?? answerTokens[task.name],
    });
    outcomes.push(await score(model, task, item, result.text.trim(), expected));
    options.onProgress?.(outcomes.length, items.length);
  }
  const result = summarize(model.id, task, outcomes, expected);
  if (options.details) result.items = outcomes;
  return result;
}

async function score(model: ChatModel, task: EvalTask, item: EvalItem, answer: string, expected: string | null): Promise<ItemOutcome> {
  const base = { id: item.id, split: item.split, prompt: item.messages[item.messages.length - 1]!.content, answer };
  switch (task.name) {
    case "capitals":
      return { ...base, correct: containsAnswer(answer, item.references, item.ignore) };
    case "definitions": {
      const reference = item.references[0] ?? "";
      const f1 = tokenF1(answer, reference);
      const logLikelihood = isTokenModel(model) ? await referenceLogLikelihood(model, item.messages, reference) : undefined;
      return { ...base, correct: f1 >= definitionPassF1, f1, logLikelihood };
    }
    case "identity": {
      const claims = claimedIdentities(answer, task.identities ?? []);
      return { ...base, correct: expected !== null && claims.length === 1 && claims[0] === expected, claims };
    }
  }
}
