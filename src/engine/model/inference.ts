// Inference with a KV cache: tokens are fed in chunks (a whole prompt at once, then one token per
// step); each chunk runs as small matrix products and attends to every cached position.
// Gives logits for the last fed token, or for every fed token (scoring). Single tokens (generation)
// go through the native decoder when it is available: one call per token.
import { EngineError } from "../errors.js";
import { activeKernels, attentionCached, matmulForward } from "../kernels/index.js";
import { embeddingForward } from "../layers/embedding.js";
import { addInPlace } from "../layers/residual.js";
import { ropeForward, ropeTable, type RopeTable } from "../layers/rope.js";
import { headDim, type LlamaConfig } from "./config.js";
import { createDecoder, type Decoder } from "./decoder.js";
import type { ModelTensors } from "./parameters.js";

export class InferenceSession {
  readonly config: LlamaConfig;
  private readonly params: ModelTensors;
  private readonly rope: RopeTable;
  private readonly kCache: Float32Array;  // (L, contextLength, NKV*hd)
  private readonly vCache: Float32Array;
  private decoder: Decoder | null | undefined;  // undefined: prepared at the first single-token feed
  /** Tokens in the cache. */
  position = 0;

  /**
   * `decoder`: a prepared decoder for these parameters (share one across sessions: it copies the
   * weights), or false for the kernel path only. By default the session prepares its own.
   */
  constructor(config: LlamaConfig, params: ModelTensors, options: { decoder?: Decoder | null | false } = {}) {
    this.config = config;
    this.params = params;
    this.rope = ropeTable(config.contextLength, headDim(config), config.ropeBase);
    const size = config.blockCount * config.contextLength * config.headCountKv * headDim(config);
    this.kCache = new Float32Array(size);
    this.vCache = new Float32Array(size);
    this.decoder = options.decoder === false ? null : options.decoder ?? undefined;
  }

  /** A decoder that sessions on these parameters can share (null without the native addon). */
  static prepareDecoder(config: LlamaConfig, params: ModelTensors): Decoder | null {
    return createDecoder(config, params, ropeTable(config.contextLength, headDim(config), config.ropeBase));
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
      throw new EngineError("ENGINE_CONTEXT_OVERFLOW", `${pos0 + Tq} tokens do not fit the model's context of ${cfg.contextLength}; shorten the input`);
    }
    for (let i = 0; i < Tq; i++) {
      if (!(tokens[i] >= 0 && tokens[i] < V)) throw new EngineError("ENGINE_INVALID_ARGUMENT", `token id ${tokens[i]} is outside the vocabulary of ${V}`);
    }
    if (Tq === 1 && !all && this.decoder === undefined) this.decoder = createDecoder(cfg, p, this.rope);
    if (Tq === 1 && !all && this.decoder) {
      const logits = new Float32Array(V);
      this.decoder.step(tokens[0], pos0, this.kCache, this.vCache, logits);
      this.position += 1;
      return logits;
    }
    const layerCache = cfg.contextLength * KV;
    const x = new Float32Array(Tq * C), ln = new Float32Array(Tq * C), rstd = new Float32Array(Tq);
    const q = new Float32Array(Tq * C), att = new Float32Array(Tq * C), proj = new Float32Array(Tq * C);
    const gate = new Float32Array(Tq * F), up = new Float32Array(Tq * F);
    embeddingForward(x, tokens, p.tokenEmbd, Tq, C);
    for (let l = 0; l < cfg.blockCount; l++) {
      const w = p.layers[l];
      const kLayer = this.kCache.subarray(l * layerCache, (l + 1) * layerCache), vLayer = this.vCache.subarray(l * layerCache, (l + 1) * layerCache);
      const k = kLayer.subarray(pos0 * KV, (pos0 + Tq) * KV), v = vLayer.subarray(pos0 * KV, (pos0 + Tq) * KV);
      rmsnormForward(ln, rstd, x, w.attnNorm, Tq, C, cfg.rmsEps);
      matmulForward(q, ln, w.wq, Tq, C, C);
      matmulForward(k, ln, w.wk, Tq, C, KV);
      matmulForward(v, ln, w.wv, Tq, C, KV);
      ropeForward(q, Tq, Tq, NH, this.rope, pos0);
      ropeForward(k, Tq, Tq, NKV, this.rope, pos0);
      attentionCached(att, q, kLayer, vLayer, pos0, Tq, NH, NKV, hd);
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
