// Distillation losses per position in plain TypeScript: the reference for the native kernel
// (native/src/distillation.cc) and the fallback without it. Temperature τ is applied to both sides as
// TRL GKD does (no τ² factor). Per position:
//   u = z/τ, buckets b with student mass p_S,b and h_b = p_S,b ∂L/∂p_S,b, H = Σ h_b;
//   ∂L/∂u_j = (p_S,j / p_S,b(j))·h_b(j) − p_S,j·H, and ∂L/∂z = ∂L/∂u / τ.
import { EngineError } from "../errors.js";
import { divergence, type DivergenceKind } from "./divergence.js";
import { logAddExp, logSoftmaxRow } from "./log-softmax.js";

export const divergenceKinds: DivergenceKind[] = ["kl", "rkl", "jsd"];

const TINY = 1e-30;

/**
 * rowLoss[n] = loss at position n (0 where mask[n] is 0); dlogits += gradScale·∂L/∂z there.
 * Full targets: teacherLogits (N, V); sparse: ids, logprobs (N, k), -1 marks an unused slot.
 * kind: 0 forward KL, 1 reverse KL, 2 JSD(β).
 */
export function distillationRowsReference(rowLoss: Float64Array, dlogits: Float32Array | null, logits: Float32Array,
  teacherLogits: Float32Array | null, ids: Int32Array | null, logprobs: Float32Array | null, k: number, mask: Uint8Array,
  N: number, V: number, kind: number, beta: number, tau: number, gradScale: number): void {
  const divergenceKind = divergenceKinds[kind];
  const ls = new Float64Array(V), lt = new Float64Array(V);
  const bucketLs = new Float64Array(k + 1), bucketLt = new Float64Array(k + 1), h = new Float64Array(Math.max(V, k + 1));
  for (let n = 0; n < N; n++) {
    rowLoss[n] = 0;
    if (!mask[n]) continue;
    logSoftmaxRow(ls, logits, n * V, V, tau);
    const o = n * V;
    if (teacherLogits) {
      logSoftmaxRow(lt, teacherLogits, n * V, V, tau);
      rowLoss[n] = divergence(divergenceKind, beta, ls, lt, V, h);
      if (!dlogits) continue;
      let H = 0;
      for (let j = 0; j < V; j++) H += h[j];
      for (let j = 0; j < V; j++) dlogits[o + j] += (gradScale * (h[j] - Math.exp(ls[j]) * H)) / tau;
      continue;
    }
    if (!ids || !logprobs) throw new EngineError("ENGINE_INVALID_ARGUMENT", "sparse targets need ids and log-probabilities");
    // buckets 0..used-1 are the teacher's top-k ids, bucket `used` is everything else
    let used = 0, studentTop = 0, teacherTop = 0;
    for (let i = 0; i < k; i++) {
      const id = ids[n * k + i];
      if (id < 0) continue;
      bucketLs[used] = ls[id];
      bucketLt[used] = logprobs[n * k + i];
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
    rowLoss[n] = divergence(divergenceKind, beta, bucketLs, bucketLt, used + 1, h);
    if (!dlogits) continue;
    let H = 0;
    for (let b = 0; b <= used; b++) H += h[b];
    const tailMass = Math.exp(bucketLs[used]);
    const tailScale = tailMass > TINY ? h[used] / tailMass : 0;
    const scale = gradScale / tau;
    for (let j = 0; j < V; j++) dlogits[o + j] += scale * Math.exp(ls[j]) * (tailScale - H);
    let b = 0;
    for (let i = 0; i < k; i++) {
      const id = ids[n * k + i];
      if (id < 0) continue;
      // replace the tail term with the token's own bucket term: p_j·(h_b/p_b) = h_b when the bucket is one token
      dlogits[o + id] += scale * (h[b] - Math.exp(ls[id]) * tailScale);
      b++;
    }
  }
}
