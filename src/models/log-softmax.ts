// Log-softmax and top-k selection over one next-token score vector.

/** log p for every token, computed stably in float64. Scores may contain -Infinity. */
export function logSoftmax(scores: Float32Array): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < scores.length; i++) if (scores[i]! > max) max = scores[i]!;
  let sum = 0;
  for (let i = 0; i < scores.length; i++) sum += Math.exp(scores[i]! - max);
  const logNormaliser = max + Math.log(sum);
  const out = new Float64Array(scores.length);
  for (let i = 0; i < scores.length; i++) out[i] = scores[i]! - logNormaliser;
  return out;
}

/** Indices of the k largest values, best first; ties keep the lower index first. */
export function topLogprobs(values: ArrayLike<number>, k: number): number[] {
  if (k <= 0) return [];
  const best: number[] = [];
  for (let i = 0; i < values.length; i++) {
    if (best.length === k && values[i]! <= values[best[k - 1]!]!) continue;
    let at = best.length === k ? k - 1 : best.length;
    if (best.length < k) best.push(i);
    while (at > 0 && values[best[at - 1]!]! < values[i]!) {
      best[at] = best[at - 1]!;
      at--;
    }
    best[at] = i;
  }
  return best;
}
