// What a teacher gives the distillation losses at each position: its full logits (white-box, shared
// tokenizer) or its top-k log-probabilities (API teachers, DistillKit v2 sparse logits), whose
// remaining mass becomes one tail bucket.

export interface FullTeacherTargets {
  kind: "full";
  /** (N, V) raw teacher logits (temperature is applied by the loss). */
  logits: Float32Array;
}

export interface SparseTeacherTargets {
  kind: "sparse";
  /** entries per position */
  k: number;
  /** (N, k) token ids, best first; -1 marks an unused slot. */
  ids: Int32Array;
  /** (N, k) teacher log-probabilities at temperature 1. */
  logprobs: Float32Array;
}

export type TeacherTargets = FullTeacherTargets | SparseTeacherTargets;
