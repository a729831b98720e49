// Cross-entropy of next-token predictions with a loss mask: positions whose target is < 0 (prompt,
// padding, non-assistant tokens) count for nothing. logits, dlogits (N, V); targets (N).
import { logSoftmaxRow } from "./log-softmax.js";

/**
 * Returns the summed loss over counted positions and the count; dlogits += gradScale·(p − onehot)
 * on those positions (pass gradScale = 1/count for a mean). dlogits may be null (evaluation only).
 */
export function crossEntropy(dlogits: Float32Array | null, logits: Float32Array, targets: Int32Array, N: number, V: number,
  gradScale: number): { loss: number; count: number } {
  const logp = new Float64Array(V);
  let loss = 0, count = 0;
  for (let n = 0; n < N; n++) {
    const target = targets[n];
    if (target < 0) continue;
    logSoftmaxRow(logp, logits, n * V, V);
    loss -= logp[target];
    count++;
    if (!dlogits) continue;
    const o = n * V;
    for (let j = 0; j < V; j++) dlogits[o + j] += gradScale * Math.exp(logp[j]);
    dlogits[o + target] -= gradScale;
  }
  return { loss, count };
}
