// RMSNorm (Zhang & Sennrich 2019), as llama.cpp computes it: out = x / sqrt(mean(x²) + eps) ⊙ w.
// inp, out (N, C); weight (C); rstd (N) caches 1/sqrt(mean(x²) + eps) for the backward pass.

export function rmsnormForward(out: Float32Array, rstd: Float32Array, inp: Float32Array, weight: Float32Array, N: number, C: number, eps: number): void {
  for (let n = 0; n < N; n++) {
    const o = n * C;
    let ss = 0;
    for (let i = 0; i < C; i++) ss += inp[o + i] * inp[o + i];
    const r = 1 / Math.sqrt(ss / C + eps);
    rstd[n] = r;
    for (let i = 0; i < C; i++) out[o + i] = inp[o + i] * r * weight[i];
  }
}

/** dinp += ∂L/∂inp; dweight += ∂L/∂weight. */
export function rmsnormBackward(dinp: Float32Array, dweight: Float32Array, dout: Float32Array, inp: Float32Array,
  weight: Float32Array, rstd: Float32Array, N: number, C: number): void {
  for (let n = 0; n < N; n++) {
    const o = n * C, r = rstd[n];
    // y_i = x_i r w_i, r = (mean(x²)+eps)^-1/2  ⇒  dx_i = r (w_i dy_i) − x_i r³/C · Σ_j w_j dy_j x_j
    let dot = 0;
    for (let i = 0; i < C; i++) {
      const g = dout[o + i] * weight[i];
      dot += g * inp[o + i];
      dweight[i] += dout[o + i] * inp[o + i] * r;
    }
    const k = (dot * r * r * r) / C;
    for (let i = 0; i < C; i++) dinp[o + i] += dout[o + i] * weight[i] * r - inp[o + i] * k;
  }
}
