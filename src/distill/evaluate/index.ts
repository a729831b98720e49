// Public API of evaluation: score any ChatModel on a task's held-out prompts.
export { evaluateTask, definitionPassF1 } from "./evaluate.js";
export { compareWithTeacher, type TeacherComparison } from "./compare.js";
export { referenceLogLikelihood } from "./likelihood.js";
export { claimedIdentities, containsAnswer, normalizeText, tokenF1 } from "./text-match.js";
export type { EvalItem, EvalResult, EvalTask, EvaluateOptions, ItemOutcome, KnownIdentity, SplitFigures, TaskName } from "./types.js";
