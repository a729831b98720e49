// SwiGLU (Shazeer 2020): out = silu(gate) ⊙ up, silu(g) = g·σ(g). gate, up, out (N) flat.

export function swigluForward(out: Float32Array, gate: Float32Array, up: Float32Array, N: number): void {
  for (let i = 0; i < N; i++) {
    const g = gate[i];
    out[i] = (g / (1 + Math.exp(-g))) * up[i];
  }
}

/** dgate += ∂L/∂gate; dup += ∂L/∂up. */
export function swigluBackward(dgate: Float32Array, dup: Float32Array, dout: Float32Array, gate: Float32Array, up: Float32Array, N: number): void {
  for (let i = 0; i < N; i++) {
    const g = gate[i], s = 1 / (1 + Math.exp(-g));
    const silu = g * s;
    dup[i] += dout[i] * silu;
    dgate[i] += dout[i] * up[i] * s * (1 + g * (1 - s));
  }
}
