// Distillation losses on student logits against teacher targets (full logits, or sparse top-k
// log-probabilities + a tail bucket): forward KL, reverse KL and JSD(β) with temperature, as TRL's
// GKDTrainer defines them. The per-position work runs in the native kernel when it is built (else
// distillation-rows.ts, the reference).
import { EngineError } from "../errors.js";
import { activeKernels } from "../kernels/index.js";
import type { DivergenceKind } from "./divergence.js";
import { divergenceKinds } from "./distillation-rows.js";
import type { TeacherTargets } from "./teacher-targets.js";

export interface DistillationOptions {
  kind: DivergenceKind;
  /** JSD interpolation (TRL default 0.5); ignored by kl and rkl. */
  beta?: number;
  /** Softmax temperature for student and teacher (TRL default 0.9). Default 1. */
  temperature?: number;
}

/**
 * Summed loss over the positions where mask[n] is non-zero (and the count); dlogits += gradScale·∂L/∂z
 * there. logits, dlogits (N, V).
 */
export function distillationLoss(dlogits: Float32Array | null, logits: Float32Array, teacher: TeacherTargets, mask: ArrayLike<number>,
  N: number, V: number, options: DistillationOptions, gradScale: number): { loss: number; count: number } {
  const tau = options.temperature ?? 1, beta = options.beta ?? 0.5;
  if (options.kind === "jsd" && !(beta > 0 && beta < 1)) throw new EngineError("ENGINE_INVALID_ARGUMENT", `JSD beta must be in (0, 1), got ${beta}; use kl (β=0) or rkl (β=1)`);
  if (!(tau > 0)) throw new EngineError("ENGINE_INVALID_ARGUMENT", `the distillation temperature must be positive, got ${tau}`);
  const maskBytes = Uint8Array.from({ length: N }, (_, n) => (mask[n] ? 1 : 0));
  const rowLoss = new Float64Array(N);
  const kind = divergenceKinds.indexOf(options.kind);
  if (teacher.kind === "full") {
    activeKernels().distillationRows(rowLoss, dlogits, logits, teacher.logits, null, null, 0, maskBytes, N, V, kind, beta, tau, gradScale);
  } else {
    activeKernels().distillationRows(rowLoss, dlogits, logits, null, teacher.ids, teacher.logprobs, teacher.k, maskBytes, N, V, kind, beta, tau, gradScale);
  }
  let loss = 0, count = 0;
  for (let n = 0; n < N; n++) {
    if (!maskBytes[n]) continue;
    loss += rowLoss[n];
    count++;
  }
  return { loss, count };
}
