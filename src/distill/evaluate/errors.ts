// Errors of the evaluation step: an unknown task, a task with no items, a model that fails.
export type EvaluateErrorCode = "EVAL_UNKNOWN_TASK" | "EVAL_EMPTY_TASK" | "EVAL_BAD_OPTION";

export class EvaluateError extends Error {
  readonly pedigree = true;
  override name = "EvaluateError";
  readonly code: EvaluateErrorCode;

  constructor(code: EvaluateErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
