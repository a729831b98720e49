// What the gateway and its training worker say to each other over the IPC channel.
import type { TrainingPlan } from "./job-types.js";

/** The job's training plan, with where its files are. */
export interface WorkerSpec extends TrainingPlan {
  jobId: string;
  trainingPath: string;
  validationPath: string | null;
  seed: number;
  checkpointPath: string;
  outPath: string;
  /** Where a fresh student's starting weights are written, to evaluate the base. */
  basePath: string;
  name: string;
}

export interface EvalFigures {
  /** Mean cross-entropy (nats per token) of the validation answers; null for a black-box model. */
  loss: number | null;
  /** Share of validation prompts answered (greedily) exactly as the teacher answers them, after normalisation. */
  agreement_with_teacher: number | null;
  /** Share answered exactly as the validation file's answer. */
  matches_reference: number;
}

export interface EvalReport {
  validation_examples: number;
  fine_tuned: EvalFigures;
  base: EvalFigures;
  teacher: EvalFigures | null;
  teacher_model: string | null;
}

export type WorkerMessage =
  | { type: "step"; step: number; steps: number; loss: number; tokensSeen: number }
  | { type: "checkpoint"; step: number; loss: number }
  | { type: "stopped"; step: number }
  | { type: "evaluating" }
  | { type: "evaluated"; report: EvalReport }
  | { type: "done"; trainedTokens: number; seconds: number; finalLoss: number }
  | { type: "error"; message: string };

export type ParentMessage = { type: "cancel" };
