// AdamW (Loshchilov & Hutter 2019) as in llm.c's gpt2_update, over the flat parameter buffer, with
// decoupled weight decay applied to matrices only (norm weights are not decayed).
import { activeKernels } from "../kernels/index.js";
import type { LlamaConfig } from "../model/config.js";
import { tensorSpecs } from "../model/parameters.js";

export interface AdamWSettings {
  beta1: number;        // 0.9
  beta2: number;        // 0.95
  eps: number;          // 1e-8
  weightDecay: number;  // 0.1
}

export interface AdamWState {
  m: Float32Array;  // first moment, parameter layout
  v: Float32Array;  // second moment, parameter layout
  t: number;        // updates done
}

export function createAdamWState(size: number): AdamWState {
  return { m: new Float32Array(size), v: new Float32Array(size), t: 0 };
}

/** 1 for entries that get weight decay (2-D tensors), 0 otherwise. */
export function decayMask(config: LlamaConfig): Uint8Array {
  const specs = tensorSpecs(config);
  const mask = new Uint8Array(specs.reduce((n, s) => n + s.rows * s.cols, 0));
  let offset = 0;
  for (const s of specs) {
    if (s.rows > 1) mask.fill(1, offset, offset + s.rows * s.cols);
    offset += s.rows * s.cols;
  }
  return mask;
}

export function adamwUpdate(params: Float32Array, grads: Float32Array, state: AdamWState, mask: Uint8Array, lr: number, s: AdamWSettings): void {
  state.t++;
  const c1 = 1 - Math.pow(s.beta1, state.t), c2 = 1 - Math.pow(s.beta2, state.t);
  activeKernels().adamwUpdate(params, grads, state.m, state.v, mask, lr, s.beta1, s.beta2, s.eps, s.weightDecay, c1, c2);
}

/** Scales grads so that their global L2 norm is at most maxNorm; returns the norm before clipping. */
export function clipGradients(grads: Float32Array, maxNorm: number): number {
  let ss = 0;
  for (let i = 0; i < grads.length; i++) ss += grads[i] * grads[i];
  const norm = Math.sqrt(ss);
  if (maxNorm > 0 && norm > maxNorm) {
    const scale = maxNorm / (norm + 1e-6);
    for (let i = 0; i < grads.length; i++) grads[i] *= scale;
  }
  return norm;
}
