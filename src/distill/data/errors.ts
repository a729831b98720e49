// Errors of the distillation room (data files, harvest, curate, train, evaluate, export): a stable code and a
// message that says what was wrong and what to do.
import { PedigreeError, isPedigreeErrorNamed } from "../../errors/index.js";

export const DISTILL_ERROR_CODES = [
  "DATA_NOT_FOUND",
  "DATA_MALFORMED_LINE",
  "DATA_EMPTY",
  "HARVEST_BAD_PROMPTS",
  "HARVEST_UNKNOWN_PROMPT_SET",
  "HARVEST_REQUEST_FAILED",
  "HARVEST_RATE_LIMITED",
  "HARVEST_TEACHER_MISMATCH",
  "HARVEST_BAD_OPTION",
  "HARVEST_BATCH_FAILED",
  "CURATE_BAD_OPTION",
  "EXPORT_INVALID",
  "EXPORT_UNSUPPORTED",
  "TRAIN_BAD_OPTION",
  "TRAIN_NOT_WHITE_BOX",
  "TRAIN_TOKENIZER_MISMATCH",
  "EVAL_UNKNOWN_TASK",
  "EVAL_EMPTY_TASK",
  "EVAL_BAD_OPTION",
  "HARVEST_INTERRUPTED",
] as const;
export type DistillErrorCode = (typeof DISTILL_ERROR_CODES)[number];

export class DistillError extends PedigreeError<DistillErrorCode> {
  override name = "DistillError";

  static isInstance(value: unknown): value is DistillError {
    return isPedigreeErrorNamed(value, "DistillError");
  }
}
