// The kernels the model calls: the native addon when it is built, else the TypeScript reference.
// Layouts follow GGUF: a weight (M, K) row-major maps K inputs to M outputs, y = W·x.
import { EngineError } from "../errors.js";
import { loadNativeKernels, type NativeKernels } from "./native.js";
import { distillationRowsReference } from "../losses/distillation-rows.js";
import { rmsnormBackward as rmsnormBackwardTs, rmsnormForward as rmsnormForwardTs } from "../layers/rmsnorm.js";
import { swigluBackward as swigluBackwardTs, swigluForward as swigluForwardTs } from "../layers/swiglu.js";
import {
  adamwUpdateReference, attentionBackwardReference, attentionCachedReference, attentionForwardReference, crossEntropyRowsReference, gemmReference,
} from "./reference.js";

export type KernelName = "native" | "reference";

const reference: NativeKernels = {
  gemm: (c, a, b, m, n, k, ars, acs, brs, bcs, ldc, acc) => gemmReference(c, a, b, m, n, k, ars, acs, brs, bcs, ldc, acc !== 0),
  attentionForward: attentionForwardReference,
  attentionBackward: attentionBackwardReference,
  attentionCached: attentionCachedReference,
  swigluForward: swigluForwardTs,
  swigluBackward: swigluBackwardTs,
  rmsnormForward: rmsnormForwardTs,
  rmsnormBackward: rmsnormBackwardTs,
  crossEntropyRows: crossEntropyRowsReference,
  adamwUpdate: adamwUpdateReference,
  distillationRows: distillationRowsReference,
  setThreads: () => 1,
};

/** The kernels in use, for the layers that call them directly (swiglu, rmsnorm, cross-entropy, AdamW). */
export function activeKernels(): NativeKernels {
  return active;
}

let active: NativeKernels = loadNativeKernels() ?? reference;

/** Which kernels are in use. */
export function kernelName(): KernelName {
  return active === reference ? "reference" : "native";
}

/** Switch kernels (tests compare both); "native" throws when the addon is not built. */
export function useKernels(name: KernelName): void {
  if (name === "reference") { active = reference; return; }
  const native = loadNativeKernels();
  if (!native) throw new EngineError("ENGINE_NATIVE_MISSING", "native kernels are not built: run `npm run build:native`");
  active = native;
}

/** Threads used by the native kernels (default: all cores). Returns the previous count. */
export function setKernelThreads(threads: number): number {
  return active.setThreads(threads);
}

/** out (N, M) = inp (N, K) · weightᵀ, weight (M, K). Overwrites out. */
export function matmulForward(out: Float32Array, inp: Float32Array, weight: Float32Array, N: number, K: number, M: number): void {
  active.gemm(out, inp, weight, N, M, K, K, 1, 1, K, M, 0);
}

/** dinp (N, K) += dout (N, M) · weight; dweight (M, K) += doutᵀ · inp. Either output may be null. */
export function matmulBackward(dinp: Float32Array | null, dweight: Float32Array | null, dout: Float32Array, inp: Float32Array,
  weight: Float32Array, N: number, K: number, M: number): void {
  if (dinp) active.gemm(dinp, dout, weight, N, K, M, M, 1, K, 1, K, 1);
  if (dweight) active.gemm(dweight, dout, inp, M, K, N, 1, M, K, 1, K, 1);
}

/** Causal attention over (B*T, ·) rows; probs (B, NH, T, T) is kept for the backward pass. */
export function attentionForward(out: Float32Array, probs: Float32Array, q: Float32Array, k: Float32Array, v: Float32Array,
  B: number, T: number, NH: number, NKV: number, hd: number): void {
  active.attentionForward(out, probs, q, k, v, B, T, NH, NKV, hd);
}

/** dq, dk, dv += gradients of attentionForward. */
export function attentionBackward(dq: Float32Array, dk: Float32Array, dv: Float32Array, dout: Float32Array, probs: Float32Array,
  q: Float32Array, k: Float32Array, v: Float32Array, B: number, T: number, NH: number, NKV: number, hd: number): void {
  active.attentionBackward(dq, dk, dv, dout, probs, q, k, v, B, T, NH, NKV, hd);
}

/** Tq new queries at positions pos0.. against a KV cache holding positions 0..pos0+Tq-1. */
export function attentionCached(out: Float32Array, q: Float32Array, kCache: Float32Array, vCache: Float32Array,
  pos0: number, Tq: number, NH: number, NKV: number, hd: number): void {
  active.attentionCached(out, q, kCache, vCache, pos0, Tq, NH, NKV, hd);
}

/** Any gemm with strides (tests, benchmarks). */
export function gemm(c: Float32Array, a: Float32Array, b: Float32Array, m: number, n: number, k: number,
  ars: number, acs: number, brs: number, bcs: number, ldc: number, accumulate: boolean): void {
  active.gemm(c, a, b, m, n, k, ars, acs, brs, bcs, ldc, accumulate ? 1 : 0);
}
