// Cross-entropy of next-token predictions with a loss mask: positions whose target is < 0 (prompt,
// padding, non-assistant tokens) count for nothing. logits, dlogits (N, V); targets (N).
import { activeKernels } from "../kernels/index.js";

/**
 * Returns the summed loss over counted positions and the count; dlogits += gradScale·(p − onehot)
 * on those positions (pass gradScale = 1/count for a mean). dlogits may be null (evaluation only).
 */
export function crossEntropy(dlogits: Float32Array | null, logits: Float32Array, targets: Int32Array, N: number, V: number,
  gradScale: number): { loss: number; count: number } {
  const rowLoss = new Float64Array(N);
  activeKernels().crossEntropyRows(rowLoss, dlogits, logits, targets, N, V, gradScale);
  let loss = 0, count = 0;
  for (let n = 0; n < N; n++) {
    if (targets[n] < 0) continue;
    loss += rowLoss[n];
    count++;
  }
  return { loss, count };
}
