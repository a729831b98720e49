// Inference with a KV cache: tokens are fed in chunks (a whole prompt at once, then one token per
// step); each chunk runs as small matrix products and attends to every cached position.
// Gives logits for the last fed token, or for every fed token (scoring).
import { EngineError } from "../errors.js";
import { activeKernels, attentionCached, matmulForward } from "../kernels/index.js";
import { embeddingForward } from "../layers/embedding.js";
import { addInPlace } from "../layers/residual.js";
import { ropeForward, ropeTable, type RopeTable } from "../layers/rope.js";
import { headDim, type LlamaConfig } from "./config.js";
import type { ModelTensors } from "./parameters.js";

export class InferenceSession {
  readonly config: LlamaConfig;
  private readonly params: ModelTensors;
  private readonly rope: RopeTable;
  private readonly kCache: Float32Array[];  // L × (contextLength, NKV*hd)
  private readonly vCache: Float32Array[];  // L × (contextLength, NKV*hd)
  /** Tokens in the cache. */
  position = 0;

  constructor(config: LlamaConfig, params: ModelTensors, rope?: RopeTable) {
    this.config = config;
    this.params = params;
    this.rope = rope ?? ropeTable(config.contextLength, headDim(config), config.ropeBase);
    const size = config.contextLength * config.headCountKv * headDim(config);
    this.kCache = Array.from({ length: config.blockCount }, () => new Float32Array(size));
    this.vCache = Array.from({ length: config.blockCount }, () => new Float32Array(size));
  }

  /** Forgets everything after `position` tokens (0 empties the cache). */
  rewind(position = 0): void {
    this.position = Math.min(this.position, position);
  }

  /** Feeds tokens; returns logits (V) after the last one, or (tokens, V) for all when `all`. */
  feed(tokens: ArrayLike<number>, all = false): Float32Array {
    const cfg = this.config, p = this.params, { rmsnormForward, swigluForward } = activeKernels();
    const Tq = tokens.length, pos0 = this.position;
    const C = cfg.embeddingLength, F = cfg.feedForwardLength, NH = cfg.headCount, NKV = cfg.headCountKv, V = cfg.vocabSize;
    const hd = headDim(cfg), KV = NKV * hd;
    if (Tq === 0) throw new EngineError("ENGINE_INVALID_ARGUMENT", "feed() needs at least one token");
    if (pos0 + Tq > cfg.contextLength) {
      throw new EngineError("ENGINE_INVALID_ARGUMENT", `${pos0 + Tq} tokens do not fit the model's context of ${cfg.contextLength}; shorten the input`);
    }
    for (let i = 0; i < Tq; i++) {
      if (!(tokens[i] >= 0 && tokens[i] < V)) throw new EngineError("ENGINE_INVALID_ARGUMENT", `token id ${tokens[i]} is outside the vocabulary of ${V}`);
    }
    const x = new Float32Array(Tq * C), ln = new Float32Array(Tq * C), rstd = new Float32Array(Tq);
    const q = new Float32Array(Tq * C), att = new Float32Array(Tq * C), proj = new Float32Array(Tq * C);
    const gate = new Float32Array(Tq * F), up = new Float32Array(Tq * F);
    embeddingForward(x, tokens, p.tokenEmbd, Tq, C);
    for (let l = 0; l < cfg.blockCount; l++) {
      const w = p.layers[l];
      const k = this.kCache[l].subarray(pos0 * KV, (pos0 + Tq) * KV), v = this.vCache[l].subarray(pos0 * KV, (pos0 + Tq) * KV);
      rmsnormForward(ln, rstd, x, w.attnNorm, Tq, C, cfg.rmsEps);
      matmulForward(q, ln, w.wq, Tq, C, C);
      matmulForward(k, ln, w.wk, Tq, C, KV);
      matmulForward(v, ln, w.wv, Tq, C, KV);
      ropeForward(q, Tq, Tq, NH, this.rope, pos0);
      ropeForward(k, Tq, Tq, NKV, this.rope, pos0);
      attentionCached(att, q, this.kCache[l], this.vCache[l], pos0, Tq, NH, NKV, hd);
      matmulForward(proj, att, w.wo, Tq, C, C);
      addInPlace(x, proj, Tq * C);
      rmsnormForward(ln, rstd, x, w.ffnNorm, Tq, C, cfg.rmsEps);
      matmulForward(gate, ln, w.wGate, Tq, C, F);
      matmulForward(up, ln, w.wUp, Tq, C, F);
      swigluForward(gate, gate, up, Tq * F);
      matmulForward(proj, gate, w.wDown, Tq, F, C);
      addInPlace(x, proj, Tq * C);
    }
    this.position += Tq;
    const rows = all ? Tq : 1, first = Tq - rows;
    const last = x.subarray(first * C);
    rmsnormForward(ln, rstd, last, p.outputNorm, rows, C, cfg.rmsEps);
    const logits = new Float32Array(rows * V);
    matmulForward(logits, ln, p.output, rows, C, V);
    return logits;
  }
}
