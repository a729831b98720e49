// Evaluation tasks and results. A task is data (prompts and references); the scorer is chosen by name.
import type { ChatMessage } from "../../models/spec.js";

export type TaskName = "capitals" | "definitions" | "identity";

export interface EvalItem {
  id: string;
  /** "phrasing": held-out wording of a trained entry; "unseen": entry never trained; "seen": trained wording. */
  split: string;
  messages: ChatMessage[];
  /** Accepted answers (capitals) or the reference text (definitions); empty for identity probes. */
  references: string[];
  /** Text removed from an answer before matching (the country name the question already gives). */
  ignore?: string[];
}

export interface KnownIdentity {
  name: string;
  /** Whole words that count as claiming this identity (its name, its maker). */
  markers: string[];
}

export interface EvalTask {
  name: TaskName;
  items: EvalItem[];
  identities?: KnownIdentity[];
}

export interface EvaluateOptions {
  /** At most this many items per split, chosen with `seed`. */
  limit?: number;
  seed?: number;
  /** Identity task: the identity the model should claim; accuracy is the share claiming it. */
  expectedIdentity?: string;
  /** Keep each prompt, answer and score in the result. */
  details?: boolean;
  maxTokens?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface SplitFigures {
  n: number;
  accuracy: number;
  f1?: number;
  logLikelihood?: number;
  claims?: Record<string, number>;
}

export interface ItemOutcome {
  id: string;
  split: string;
  prompt: string;
  answer: string;
  correct: boolean;
  f1?: number;
  logLikelihood?: number;
  claims?: string[];
}

/** DESIGN.md's eval JSON: { model, task, n, accuracy, claims? } plus per-split figures. */
export interface EvalResult {
  model: string;
  task: TaskName;
  n: number;
  accuracy: number;
  /** The figure to read first: "f1" for definitions (mean token F1), "accuracy" otherwise. */
  metric: "accuracy" | "f1";
  /** The split that `n`, `accuracy` and `f1` cover: "phrasing" (held-out wordings) or "all". */
  headline_split: string;
  /** Prompts scored over every split. */
  n_total: number;
  /** Identity task: share of answers claiming each known identity. */
  claims?: Record<string, number>;
  expected_identity?: string | null;
  /** Definitions: mean token F1 against the reference. */
  f1?: number;
  /** Definitions on a TokenModel: mean log-probability per reference token (nats). */
  log_likelihood?: number;
  splits: Record<string, SplitFigures>;
  items?: ItemOutcome[];
}
