// Distillation losses on student logits against teacher targets (full or sparse top-k + tail),
// with temperature τ applied to both sides as TRL GKD does (no τ² factor). Per position:
//   u = z/τ, buckets b with student mass p_S,b and h_b = p_S,b ∂L/∂p_S,b, H = Σ h_b;
//   ∂L/∂u_j = (p_S,j / p_S,b(j))·h_b(j) − p_S,j·H, and ∂L/∂z = ∂L/∂u / τ.
import { divergence, type DivergenceKind } from "./divergence.js";
import { logAddExp, logSoftmaxRow } from "./log-softmax.js";
import type { TeacherTargets } from "./teacher-targets.js";

export interface DistillationOptions {
  kind: DivergenceKind;
  /** JSD interpolation (TRL default 0.5); ignored by kl and rkl. */
  beta?: number;
  /** Softmax temperature for student and teacher (TRL default 0.9). Default 1. */
  temperature?: number;
}

const TINY = 1e-30;

/**
 * Summed loss over the positions where mask[n] is non-zero (and the count); dlogits += gradScale·∂L/∂z
 * there. logits, dlogits (N, V).
 */
export function distillationLoss(dlogits: Float32Array | null, logits: Float32Array, teacher: TeacherTargets, mask: ArrayLike<number>,
  N: number, V: number, options: DistillationOptions, gradScale: number): { loss: number; count: number } {
  const tau = options.temperature ?? 1, beta = options.beta ?? 0.5;
  if (options.kind === "jsd" && !(beta > 0 && beta < 1)) throw new RangeError(`JSD beta must be in (0, 1), got ${beta}; use kl (β=0) or rkl (β=1)`);
  const ls = new Float64Array(V), lt = new Float64Array(V);
  const k = teacher.kind === "sparse" ? teacher.k : 0;
  const bucketLs = new Float64Array(k + 1), bucketLt = new Float64Array(k + 1), h = new Float64Array(Math.max(V, k + 1));
  let loss = 0, count = 0;
  for (let n = 0; n < N; n++) {
    if (!mask[n]) continue;
    count++;
    logSoftmaxRow(ls, logits, n * V, V, tau);
    const o = n * V;
    if (teacher.kind === "full") {
      logSoftmaxRow(lt, teacher.logits, n * V, V, tau);
      loss += divergence(options.kind, beta, ls, lt, V, h);
      if (!dlogits) continue;
      let H = 0;
      for (let j = 0; j < V; j++) H += h[j];
      for (let j = 0; j < V; j++) dlogits[o + j] += (gradScale * (h[j] - Math.exp(ls[j]) * H)) / tau;
      continue;
    }
    // sparse: buckets 0..used-1 are the teacher's top-k ids, bucket `used` is everything else
    let used = 0, studentTop = 0, teacherTop = 0;
    for (let i = 0; i < k; i++) {
      const id = teacher.ids[n * k + i];
      if (id < 0) continue;
      bucketLs[used] = ls[id];
      bucketLt[used] = teacher.logprobs[n * k + i];
      studentTop += Math.exp(ls[id]);
      teacherTop += Math.exp(bucketLt[used]);
      used++;
    }
    bucketLs[used] = Math.log(Math.max(1 - studentTop, TINY));
    bucketLt[used] = Math.log(Math.max(1 - teacherTop, TINY));
    // temperature on the teacher's buckets, renormalised (exact at τ = 1)
    let lse = -Infinity;
    for (let b = 0; b <= used; b++) { bucketLt[b] /= tau; lse = logAddExp(lse, bucketLt[b]); }
    for (let b = 0; b <= used; b++) bucketLt[b] -= lse;
    loss += divergence(options.kind, beta, bucketLs, bucketLt, used + 1, h);
    if (!dlogits) continue;
    let H = 0;
    for (let b = 0; b <= used; b++) H += h[b];
    const tailMass = Math.exp(bucketLs[used]);
    const tailScale = tailMass > TINY ? h[used] / tailMass : 0;
    const scale = gradScale / tau;
    for (let j = 0; j < V; j++) dlogits[o + j] += scale * Math.exp(ls[j]) * (tailScale - H);
    let b = 0;
    for (let i = 0; i < k; i++) {
      const id = teacher.ids[n * k + i];
      if (id < 0) continue;
      // replace the tail term with the token's own bucket term: p_j·(h_b/p_b) = h_b when the bucket is one token
      dlogits[o + id] += scale * (h[b] - Math.exp(ls[id]) * tailScale);
      b++;
    }
  }
  return { loss, count };
}
