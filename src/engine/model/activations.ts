// Buffers for one forward/backward pass over B sequences of T tokens (llm.c ActivationTensors).
// Forward keeps what backward needs; backward uses scratch gradients of the same shapes.
import { headDim, type LlamaConfig } from "./config.js";

export interface LayerActivations {
  residual: Float32Array;  // (B*T, C) input of the layer
  ln1: Float32Array;       // (B*T, C)
  rstd1: Float32Array;     // (B*T)
  q: Float32Array;         // (B*T, NH*hd) after RoPE
  k: Float32Array;         // (B*T, NKV*hd) after RoPE
  v: Float32Array;         // (B*T, NKV*hd)
  att: Float32Array;       // (B*T, C) attention output before attn_output
  probs: Float32Array;     // (B, NH, T, T)
  residualMid: Float32Array; // (B*T, C) after the attention residual
  ln2: Float32Array;       // (B*T, C)
  rstd2: Float32Array;     // (B*T)
  gate: Float32Array;      // (B*T, F)
  up: Float32Array;        // (B*T, F)
  hidden: Float32Array;    // (B*T, F) silu(gate) ⊙ up
}

export interface Activations {
  B: number;
  T: number;
  layers: LayerActivations[];
  residualOut: Float32Array;  // (B*T, C) output of the last layer
  lnf: Float32Array;          // (B*T, C)
  rstdf: Float32Array;        // (B*T)
  logits: Float32Array;       // (B*T, V)
  scratch: Float32Array;      // (B*T, C) projection outputs before their residual add
}

export interface GradientScratch {
  dresidual: Float32Array;  // (B*T, C) gradient of the residual stream
  dln: Float32Array;        // (B*T, C)
  dq: Float32Array;         // (B*T, C)
  dk: Float32Array;         // (B*T, NKV*hd)
  dv: Float32Array;         // (B*T, NKV*hd)
  datt: Float32Array;       // (B*T, C)
  dhidden: Float32Array;    // (B*T, F)
  dgate: Float32Array;      // (B*T, F)
  dup: Float32Array;        // (B*T, F)
}

export function createActivations(config: LlamaConfig, B: number, T: number): Activations {
  const N = B * T, C = config.embeddingLength, F = config.feedForwardLength;
  const KV = config.headCountKv * headDim(config);
  const layers: LayerActivations[] = [];
  for (let l = 0; l < config.blockCount; l++) {
    layers.push({
      residual: new Float32Array(N * C), ln1: new Float32Array(N * C), rstd1: new Float32Array(N),
      q: new Float32Array(N * C), k: new Float32Array(N * KV), v: new Float32Array(N * KV),
      att: new Float32Array(N * C), probs: new Float32Array(B * config.headCount * T * T),
      residualMid: new Float32Array(N * C), ln2: new Float32Array(N * C), rstd2: new Float32Array(N),
      gate: new Float32Array(N * F), up: new Float32Array(N * F), hidden: new Float32Array(N * F),
    });
  }
  return {
    B, T, layers, residualOut: new Float32Array(N * C), lnf: new Float32Array(N * C), rstdf: new Float32Array(N),
    logits: new Float32Array(N * config.vocabSize), scratch: new Float32Array(N * C),
  };
}

export function createGradientScratch(config: LlamaConfig, B: number, T: number): GradientScratch {
  const N = B * T, C = config.embeddingLength, F = config.feedForwardLength;
  const KV = config.headCountKv * headDim(config);
  return {
    dresidual: new Float32Array(N * C), dln: new Float32Array(N * C), dq: new Float32Array(N * C),
    dk: new Float32Array(N * KV), dv: new Float32Array(N * KV), datt: new Float32Array(N * C),
    dhidden: new Float32Array(N * F), dgate: new Float32Array(N * F), dup: new Float32Array(N * F),
  };
}
