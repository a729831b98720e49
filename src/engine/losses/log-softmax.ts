// Numerically stable log-softmax of one row, in float64: out_j = x_j/τ − log Σ exp(x_i/τ).

export function logSoftmaxRow(out: Float64Array, logits: Float32Array, offset: number, V: number, temperature = 1): void {
  let max = -Infinity;
  for (let j = 0; j < V; j++) {
    const x = logits[offset + j] / temperature;
    out[j] = x;
    if (x > max) max = x;
  }
  let sum = 0;
  for (let j = 0; j < V; j++) sum += Math.exp(out[j] - max);
  const lse = max + Math.log(sum);
  for (let j = 0; j < V; j++) out[j] -= lse;
}

/** log(exp(a) + exp(b)) without overflow. */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = Math.max(a, b);
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
}
