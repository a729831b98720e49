// An independent float64 reference forward pass of the Llama architecture, for tests only.
// Plain loops, no code shared with the engine: it is the yardstick the engine and llama.cpp are
// both measured against.
//
// Conventions (those of GGUF / llama.cpp, LLAMA_ROPE_TYPE_NORM):
// - a GGUF tensor with dims [in, out] (fastest first) is a row-major (out, in) matrix, y = W·x;
// - token_embd.weight is (V, C); output.weight (V, C) is optional (tied to token_embd when absent);
// - head_dim = C / head_count; RoPE rotates ADJACENT pairs (x[2i], x[2i+1]) of each head by
//   angle pos · base^(-2i/head_dim);
// - RMSNorm: x / sqrt(mean(x²) + eps) · w; attention scale 1/sqrt(head_dim), causal;
// - grouped-query attention: query head h reads kv head floor(h / (head_count / head_count_kv));
// - SwiGLU: ffn_down · (silu(ffn_gate · x) ⊙ (ffn_up · x)).

/** Hyper-parameters, named after the GGUF `llama.*` keys. */
export interface ReferenceLlamaConfig {
  vocabSize: number;
  embeddingLength: number;
  blockCount: number;
  headCount: number;
  headCountKv: number;
  feedForwardLength: number;
  rmsEps: number;
  ropeBase: number;
}

/** Tensors keyed by GGUF name (`token_embd.weight`, `blk.0.attn_q.weight`, …), row-major (out, in). */
export type ReferenceLlamaWeights = Record<string, ArrayLike<number>>;

function tensor(weights: ReferenceLlamaWeights, name: string, length: number): ArrayLike<number> {
  const t = weights[name];
  if (!t) throw new Error(`reference-llama: missing tensor ${name}`);
  if (t.length !== length) throw new Error(`reference-llama: ${name} has ${t.length} values, expected ${length}`);
  return t;
}

/** y (rows) = W (rows, cols) · x (cols), in float64. */
function matVec(w: ArrayLike<number>, x: Float64Array, rows: number, cols: number): Float64Array {
  const y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < cols; c++) s += w[r * cols + c] * x[c];
    y[r] = s;
  }
  return y;
}

function rmsNorm(x: Float64Array, w: ArrayLike<number>, eps: number): Float64Array {
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += x[i] * x[i];
  const scale = 1 / Math.sqrt(ss / x.length + eps);
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = x[i] * scale * w[i];
  return y;
}

function ropeInPlace(v: Float64Array, heads: number, headDim: number, pos: number, base: number): void {
  for (let h = 0; h < heads; h++) {
    for (let i = 0; i < headDim / 2; i++) {
      const theta = pos * Math.pow(base, (-2 * i) / headDim);
      const cos = Math.cos(theta), sin = Math.sin(theta);
      const a = v[h * headDim + 2 * i], b = v[h * headDim + 2 * i + 1];
      v[h * headDim + 2 * i] = a * cos - b * sin;
      v[h * headDim + 2 * i + 1] = a * sin + b * cos;
    }
  }
}

/** Logits (V,) for every position of `tokens`, computed independently in float64. */
export function referenceLlamaLogits(config: ReferenceLlamaConfig, weights: ReferenceLlamaWeights, tokens: ArrayLike<number>): Float64Array[] {
  const { vocabSize: V, embeddingLength: C, blockCount: L, headCount: NH, headCountKv: NKV, feedForwardLength: F } = config;
  const hd = C / NH;
  const kvDim = NKV * hd;
  const group = NH / NKV;
  const T = tokens.length;
  const embd = tensor(weights, "token_embd.weight", V * C);
  const out = weights["output.weight"] ? tensor(weights, "output.weight", V * C) : embd;
  // keys[l][t], values[l][t]: (kvDim,) after RoPE, kept for causal attention
  const keys: Float64Array[][] = [], values: Float64Array[][] = [];
  for (let l = 0; l < L; l++) { keys.push([]); values.push([]); }
  const logits: Float64Array[] = [];
  for (let t = 0; t < T; t++) {
    const x = new Float64Array(C);
    for (let c = 0; c < C; c++) x[c] = embd[tokens[t] * C + c];
    for (let l = 0; l < L; l++) {
      const p = `blk.${l}.`;
      const xn = rmsNorm(x, tensor(weights, p + "attn_norm.weight", C), config.rmsEps);
      const q = matVec(tensor(weights, p + "attn_q.weight", C * C), xn, C, C);
      const k = matVec(tensor(weights, p + "attn_k.weight", kvDim * C), xn, kvDim, C);
      const v = matVec(tensor(weights, p + "attn_v.weight", kvDim * C), xn, kvDim, C);
      ropeInPlace(q, NH, hd, t, config.ropeBase);
      ropeInPlace(k, NKV, hd, t, config.ropeBase);
      keys[l].push(k);
      values[l].push(v);
      const att = new Float64Array(C);
      for (let h = 0; h < NH; h++) {
        const kh = Math.floor(h / group);
        const scores = new Float64Array(t + 1);
        let max = -Infinity;
        for (let s = 0; s <= t; s++) {
          let dot = 0;
          for (let i = 0; i < hd; i++) dot += q[h * hd + i] * keys[l][s][kh * hd + i];
          scores[s] = dot / Math.sqrt(hd);
          if (scores[s] > max) max = scores[s];
        }
        let sum = 0;
        for (let s = 0; s <= t; s++) { scores[s] = Math.exp(scores[s] - max); sum += scores[s]; }
        for (let s = 0; s <= t; s++) {
          const w = scores[s] / sum;
          for (let i = 0; i < hd; i++) att[h * hd + i] += w * values[l][s][kh * hd + i];
        }
      }
      const o = matVec(tensor(weights, p + "attn_output.weight", C * C), att, C, C);
      for (let c = 0; c < C; c++) x[c] += o[c];
      const xn2 = rmsNorm(x, tensor(weights, p + "ffn_norm.weight", C), config.rmsEps);
      const gate = matVec(tensor(weights, p + "ffn_gate.weight", F * C), xn2, F, C);
      const up = matVec(tensor(weights, p + "ffn_up.weight", F * C), xn2, F, C);
      const hidden = new Float64Array(F);
      for (let i = 0; i < F; i++) hidden[i] = (gate[i] / (1 + Math.exp(-gate[i]))) * up[i];
      const down = matVec(tensor(weights, p + "ffn_down.weight", C * F), hidden, C, F);
      for (let c = 0; c < C; c++) x[c] += down[c];
    }
    const xf = rmsNorm(x, tensor(weights, "output_norm.weight", C), config.rmsEps);
    logits.push(matVec(out, xf, V, C));
  }
  return logits;
}

/** Softmax of one row in float64. */
export function referenceSoftmax(logits: ArrayLike<number>): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i] > max) max = logits[i];
  const p = new Float64Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) { p[i] = Math.exp(logits[i] - max); sum += p[i]; }
  for (let i = 0; i < logits.length; i++) p[i] /= sum;
  return p;
}
