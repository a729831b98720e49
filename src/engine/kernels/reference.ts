// Plain TypeScript kernels: the reference every fast kernel is tested against, and the fallback
// when the native addon is missing. Same layouts and contracts as the native ones (native/src).

/** C (m, n) (+)= A (m, k) · B (k, n); A(i, p) = a[i*ars + p*acs], B(p, j) = b[p*brs + j*bcs]. */
export function gemmReference(c: Float32Array, a: Float32Array, b: Float32Array, m: number, n: number, k: number,
  ars: number, acs: number, brs: number, bcs: number, ldc: number, accumulate: boolean): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += a[i * ars + p * acs] * b[p * brs + j * bcs];
      c[i * ldc + j] = accumulate ? c[i * ldc + j] + sum : sum;
    }
  }
}

/** q, out (B*T, NH*hd); k, v (B*T, NKV*hd); probs (B, NH, T, T), causal, scale 1/sqrt(hd). */
export function attentionForwardReference(out: Float32Array, probs: Float32Array, q: Float32Array, k: Float32Array, v: Float32Array,
  B: number, T: number, NH: number, NKV: number, hd: number): void {
  const qs = NH * hd, ks = NKV * hd, group = NH / NKV, scale = 1 / Math.sqrt(hd);
  for (let b = 0; b < B; b++) for (let h = 0; h < NH; h++) {
    const kvh = Math.floor(h / group);
    for (let t = 0; t < T; t++) {
      const row = ((b * NH + h) * T + t) * T;
      let max = -Infinity;
      for (let s = 0; s <= t; s++) {
        let dot = 0;
        for (let i = 0; i < hd; i++) dot += q[(b * T + t) * qs + h * hd + i] * k[(b * T + s) * ks + kvh * hd + i];
        probs[row + s] = dot * scale;
        if (probs[row + s] > max) max = probs[row + s];
      }
      let sum = 0;
      for (let s = 0; s <= t; s++) { probs[row + s] = Math.exp(probs[row + s] - max); sum += probs[row + s]; }
      for (let s = 0; s < T; s++) probs[row + s] = s <= t ? probs[row + s] / sum : 0;
      for (let i = 0; i < hd; i++) {
        let acc = 0;
        for (let s = 0; s <= t; s++) acc += probs[row + s] * v[(b * T + s) * ks + kvh * hd + i];
        out[(b * T + t) * qs + h * hd + i] = acc;
      }
    }
  }
}

/** Gradients accumulate (+=) into dq, dk, dv. */
export function attentionBackwardReference(dq: Float32Array, dk: Float32Array, dv: Float32Array, dout: Float32Array, probs: Float32Array,
  q: Float32Array, k: Float32Array, v: Float32Array, B: number, T: number, NH: number, NKV: number, hd: number): void {
  const qs = NH * hd, ks = NKV * hd, group = NH / NKV, scale = 1 / Math.sqrt(hd);
  const dp = new Float64Array(T);
  for (let b = 0; b < B; b++) for (let h = 0; h < NH; h++) {
    const kvh = Math.floor(h / group);
    for (let t = 0; t < T; t++) {
      const row = ((b * NH + h) * T + t) * T, qo = (b * T + t) * qs + h * hd;
      let dot = 0;
      for (let s = 0; s <= t; s++) {
        let d = 0;
        for (let i = 0; i < hd; i++) d += dout[qo + i] * v[(b * T + s) * ks + kvh * hd + i];
        dp[s] = d;
        dot += probs[row + s] * d;
      }
      for (let s = 0; s <= t; s++) {
        const ko = (b * T + s) * ks + kvh * hd, p = probs[row + s];
        const ds = p * (dp[s] - dot) * scale;
        for (let i = 0; i < hd; i++) {
          dv[ko + i] += p * dout[qo + i];
          dq[qo + i] += ds * k[ko + i];
          dk[ko + i] += ds * q[qo + i];
        }
      }
    }
  }
}

/** Tq queries at positions pos0.. attend to cached keys 0..pos0+Tq-1. q, out (Tq, NH*hd); caches (·, NKV*hd). */
export function attentionCachedReference(out: Float32Array, q: Float32Array, kCache: Float32Array, vCache: Float32Array,
  pos0: number, Tq: number, NH: number, NKV: number, hd: number): void {
  const qs = NH * hd, ks = NKV * hd, group = NH / NKV, scale = 1 / Math.sqrt(hd);
  const w = new Float64Array(pos0 + Tq);
  for (let t = 0; t < Tq; t++) for (let h = 0; h < NH; h++) {
    const kvh = Math.floor(h / group), last = pos0 + t;
    let max = -Infinity, sum = 0;
    for (let s = 0; s <= last; s++) {
      let dot = 0;
      for (let i = 0; i < hd; i++) dot += q[t * qs + h * hd + i] * kCache[s * ks + kvh * hd + i];
      w[s] = dot * scale;
      if (w[s] > max) max = w[s];
    }
    for (let s = 0; s <= last; s++) { w[s] = Math.exp(w[s] - max); sum += w[s]; }
    for (let i = 0; i < hd; i++) {
      let acc = 0;
      for (let s = 0; s <= last; s++) acc += w[s] * vCache[s * ks + kvh * hd + i];
      out[t * qs + h * hd + i] = acc / sum;
    }
  }
}

/** rowLoss[n] = −log softmax(logits_n)[target] (0 without a target); dlogits += gradScale·(p − onehot). */
export function crossEntropyRowsReference(rowLoss: Float64Array, dlogits: Float32Array | null, logits: Float32Array, targets: Int32Array,
  N: number, V: number, gradScale: number): void {
  for (let n = 0; n < N; n++) {
    rowLoss[n] = 0;
    const target = targets[n];
    if (target < 0) continue;
    let max = -Infinity;
    for (let j = 0; j < V; j++) max = Math.max(max, logits[n * V + j]);
    let sum = 0;
    for (let j = 0; j < V; j++) sum += Math.exp(logits[n * V + j] - max);
    rowLoss[n] = max + Math.log(sum) - logits[n * V + target];
    if (!dlogits) continue;
    for (let j = 0; j < V; j++) dlogits[n * V + j] += (gradScale * Math.exp(logits[n * V + j] - max)) / sum;
    dlogits[n * V + target] -= gradScale;
  }
}

/** One AdamW step with bias corrections c1 = 1−β1^t, c2 = 1−β2^t; decay[i] selects weight decay. */
export function adamwUpdateReference(params: Float32Array, grads: Float32Array, m: Float32Array, v: Float32Array, decay: Uint8Array,
  lr: number, beta1: number, beta2: number, eps: number, weightDecay: number, c1: number, c2: number): void {
  for (let i = 0; i < params.length; i++) {
    const g = grads[i];
    const mi = (m[i] = beta1 * m[i] + (1 - beta1) * g);
    const vi = (v[i] = beta2 * v[i] + (1 - beta2) * g * g);
    params[i] -= lr * (mi / c1 / (Math.sqrt(vi / c2) + eps) + (decay[i] ? weightDecay * params[i] : 0));
  }
}
