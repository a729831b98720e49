// Residual connection: out = a + b (N). Its backward passes the gradient to both inputs unchanged.

export function residualForward(out: Float32Array, a: Float32Array, b: Float32Array, N: number): void {
  for (let i = 0; i < N; i++) out[i] = a[i] + b[i];
}

/** dst += src (N). */
export function addInPlace(dst: Float32Array, src: Float32Array, N: number): void {
  for (let i = 0; i < N; i++) dst[i] += src[i];
}
