// A Llama-architecture transformer for training (llm.c gpt2_forward / gpt2_backward over flat
// Float32Array buffers). Pre-norm blocks: x += attn_output·attention(rope(q), rope(k), v) of
// RMSNorm(x); x += ffn_down·(silu(ffn_gate·h) ⊙ ffn_up·h) of h = RMSNorm(x); logits = output·RMSNorm(x).
// Limits: fp32 only; sequences of one batch share T; packed sequences attend across their joins.
import { EngineError } from "../errors.js";
import { activeKernels, attentionBackward, attentionForward, matmulBackward, matmulForward } from "../kernels/index.js";
import { embeddingBackward, embeddingForward } from "../layers/embedding.js";
import { residualForward } from "../layers/residual.js";
import { ropeBackward, ropeForward, ropeTable, type RopeTable } from "../layers/rope.js";
import { createActivations, createGradientScratch, type Activations, type GradientScratch } from "./activations.js";
import { headDim, type LlamaConfig } from "./config.js";
import { createTensors, type ModelTensors } from "./parameters.js";

export class LlamaModel {
  readonly config: LlamaConfig;
  readonly params: ModelTensors;
  readonly grads: ModelTensors;
  private acts: Activations | null = null;
  private scratch: GradientScratch | null = null;
  private rope: RopeTable;
  private tokens: Int32Array = new Int32Array(0);

  constructor(config: LlamaConfig, params: ModelTensors) {
    this.config = config;
    this.params = params;
    this.grads = createTensors(config);
    this.rope = ropeTable(config.contextLength, headDim(config), config.ropeBase);
  }

  zeroGrad(): void {
    this.grads.data.fill(0);
  }

  /** tokens (B*T) → logits (B*T, V); the returned buffer is reused by the next forward. */
  forward(tokens: Int32Array, B: number, T: number): Float32Array {
    const cfg = this.config, p = this.params;
    const C = cfg.embeddingLength, F = cfg.feedForwardLength, NH = cfg.headCount, NKV = cfg.headCountKv;
    const hd = headDim(cfg), KV = NKV * hd, N = B * T;
    if (T > cfg.contextLength) throw new EngineError("ENGINE_CONTEXT_OVERFLOW", `sequence length ${T} exceeds the context length ${cfg.contextLength}; pass at most ${cfg.contextLength} tokens`);
    if (!this.acts || this.acts.B !== B || this.acts.T !== T) {
      this.acts = createActivations(cfg, B, T);
      this.scratch = null;
    }
    const a = this.acts;
    const { rmsnormForward, swigluForward } = activeKernels();
    this.tokens = tokens;
    embeddingForward(a.layers.length ? a.layers[0].residual : a.residualOut, tokens, p.tokenEmbd, N, C);
    for (let l = 0; l < cfg.blockCount; l++) {
      const w = p.layers[l], x = a.layers[l];
      const out = l + 1 < cfg.blockCount ? a.layers[l + 1].residual : a.residualOut;
      rmsnormForward(x.ln1, x.rstd1, x.residual, w.attnNorm, N, C, cfg.rmsEps);
      matmulForward(x.q, x.ln1, w.wq, N, C, C);
      matmulForward(x.k, x.ln1, w.wk, N, C, KV);
      matmulForward(x.v, x.ln1, w.wv, N, C, KV);
      ropeForward(x.q, N, T, NH, this.rope);
      ropeForward(x.k, N, T, NKV, this.rope);
      attentionForward(x.att, x.probs, x.q, x.k, x.v, B, T, NH, NKV, hd);
      matmulForward(a.scratch, x.att, w.wo, N, C, C);
      residualForward(x.residualMid, x.residual, a.scratch, N * C);
      rmsnormForward(x.ln2, x.rstd2, x.residualMid, w.ffnNorm, N, C, cfg.rmsEps);
      matmulForward(x.gate, x.ln2, w.wGate, N, C, F);
      matmulForward(x.up, x.ln2, w.wUp, N, C, F);
      swigluForward(x.hidden, x.gate, x.up, N * F);
      matmulForward(a.scratch, x.hidden, w.wDown, N, F, C);
      residualForward(out, x.residualMid, a.scratch, N * C);
    }
    rmsnormForward(a.lnf, a.rstdf, a.residualOut, p.outputNorm, N, C, cfg.rmsEps);
    matmulForward(a.logits, a.lnf, p.output, N, C, cfg.vocabSize);
    return a.logits;
  }

  /** grads += ∂L/∂params, given dlogits = ∂L/∂logits (B*T, V) of the last forward. */
  backward(dlogits: Float32Array): void {
    const cfg = this.config, p = this.params, g = this.grads, a = this.acts;
    if (!a) throw new EngineError("ENGINE_INVALID_ARGUMENT", "backward() needs a forward() first");
    const { B, T } = a;
    const C = cfg.embeddingLength, F = cfg.feedForwardLength, NH = cfg.headCount, NKV = cfg.headCountKv;
    const hd = headDim(cfg), KV = NKV * hd, N = B * T;
    const s = (this.scratch ??= createGradientScratch(cfg, B, T));
    const { rmsnormBackward, swigluBackward } = activeKernels();
    s.dln.fill(0);
    s.dresidual.fill(0);
    matmulBackward(s.dln, g.output, dlogits, a.lnf, p.output, N, C, cfg.vocabSize);
    rmsnormBackward(s.dresidual, g.outputNorm, s.dln, a.residualOut, p.outputNorm, a.rstdf, N, C);
    for (let l = cfg.blockCount - 1; l >= 0; l--) {
      const w = p.layers[l], dw = g.layers[l], x = a.layers[l];
      // feed-forward block: dresidual flows to residualMid unchanged and through the FFN
      s.dhidden.fill(0);
      matmulBackward(s.dhidden, dw.wDown, s.dresidual, x.hidden, w.wDown, N, F, C);
      s.dgate.fill(0);
      s.dup.fill(0);
      swigluBackward(s.dgate, s.dup, s.dhidden, x.gate, x.up, N * F);
      s.dln.fill(0);
      matmulBackward(s.dln, dw.wGate, s.dgate, x.ln2, w.wGate, N, C, F);
      matmulBackward(s.dln, dw.wUp, s.dup, x.ln2, w.wUp, N, C, F);
      rmsnormBackward(s.dresidual, dw.ffnNorm, s.dln, x.residualMid, w.ffnNorm, x.rstd2, N, C);
      // attention block
      s.datt.fill(0);
      matmulBackward(s.datt, dw.wo, s.dresidual, x.att, w.wo, N, C, C);
      s.dq.fill(0);
      s.dk.fill(0);
      s.dv.fill(0);
      attentionBackward(s.dq, s.dk, s.dv, s.datt, x.probs, x.q, x.k, x.v, B, T, NH, NKV, hd);
      ropeBackward(s.dq, N, T, NH, this.rope);
      ropeBackward(s.dk, N, T, NKV, this.rope);
      s.dln.fill(0);
      matmulBackward(s.dln, dw.wq, s.dq, x.ln1, w.wq, N, C, C);
      matmulBackward(s.dln, dw.wk, s.dk, x.ln1, w.wk, N, C, KV);
      matmulBackward(s.dln, dw.wv, s.dv, x.ln1, w.wv, N, C, KV);
      rmsnormBackward(s.dresidual, dw.attnNorm, s.dln, x.residual, w.attnNorm, x.rstd1, N, C);
    }
    embeddingBackward(g.tokenEmbd, s.dresidual, this.tokens, N, C);
  }
}

