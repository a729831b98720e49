// Token embedding lookup. tokens (N); embd (V, C); out (N, C).

export function embeddingForward(out: Float32Array, tokens: ArrayLike<number>, embd: Float32Array, N: number, C: number): void {
  for (let n = 0; n < N; n++) out.set(embd.subarray(tokens[n] * C, tokens[n] * C + C), n * C);
}

/** dembd (V, C) += rows of dout at their tokens. */
export function embeddingBackward(dembd: Float32Array, dout: Float32Array, tokens: ArrayLike<number>, N: number, C: number): void {
  for (let n = 0; n < N; n++) {
    const o = tokens[n] * C;
    for (let i = 0; i < C; i++) dembd[o + i] += dout[n * C + i];
  }
}
