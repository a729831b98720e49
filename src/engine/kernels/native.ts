// Loads the native kernels (native/src, built by node-gyp during `npm ci`) from build/Release.
// The package root is three folders above this file in both src/ and dist/.
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { EngineError } from "../errors.js";

export interface NativeKernels {
  gemm(c: Float32Array, a: Float32Array, b: Float32Array, m: number, n: number, k: number,
    aRowStride: number, aColStride: number, bRowStride: number, bColStride: number, ldc: number, accumulate: number): void;
  attentionForward(out: Float32Array, probs: Float32Array, q: Float32Array, k: Float32Array, v: Float32Array,
    B: number, T: number, NH: number, NKV: number, hd: number): void;
  attentionBackward(dq: Float32Array, dk: Float32Array, dv: Float32Array, dout: Float32Array, probs: Float32Array,
    q: Float32Array, k: Float32Array, v: Float32Array, B: number, T: number, NH: number, NKV: number, hd: number): void;
  attentionCached(out: Float32Array, q: Float32Array, kCache: Float32Array, vCache: Float32Array,
    pos0: number, Tq: number, NH: number, NKV: number, hd: number): void;
  swigluForward(out: Float32Array, gate: Float32Array, up: Float32Array, n: number): void;
  swigluBackward(dgate: Float32Array, dup: Float32Array, dout: Float32Array, gate: Float32Array, up: Float32Array, n: number): void;
  rmsnormForward(out: Float32Array, rstd: Float32Array, inp: Float32Array, weight: Float32Array, N: number, C: number, eps: number): void;
  rmsnormBackward(dinp: Float32Array, dweight: Float32Array, dout: Float32Array, inp: Float32Array, weight: Float32Array,
    rstd: Float32Array, N: number, C: number): void;
  crossEntropyRows(rowLoss: Float64Array, dlogits: Float32Array | null, logits: Float32Array, targets: Int32Array,
    N: number, V: number, gradScale: number): void;
  adamwUpdate(params: Float32Array, grads: Float32Array, m: Float32Array, v: Float32Array, decay: Uint8Array, lr: number,
    beta1: number, beta2: number, eps: number, weightDecay: number, c1: number, c2: number): void;
  distillationRows(rowLoss: Float64Array, dlogits: Float32Array | null, logits: Float32Array, teacherLogits: Float32Array | null,
    ids: Int32Array | null, logprobs: Float32Array | null, k: number, mask: Uint8Array, N: number, V: number, kind: number,
    beta: number, tau: number, gradScale: number): void;
  setThreads(threads: number): number;
}

/** The addon also holds the single-token decoder (src/engine/model/decoder.ts). */
export interface NativeAddon extends NativeKernels {
  decoderCreate(data: Float32Array, offsets: Float64Array, dims: Int32Array, eps: number, cos: Float32Array, sin: Float32Array,
    allowF16: number): { handle: unknown; f16: boolean };
  decoderStep(handle: unknown, token: number, pos: number, kCache: Float32Array, vCache: Float32Array, logits: Float32Array): void;
}

let loaded: NativeAddon | null | undefined;

/** The addon, or null when it was not built (the plain TypeScript kernels are used instead). */
export function loadNativeKernels(): NativeAddon | null {
  if (loaded !== undefined) return loaded;
  const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
  const file = join(root, "build", "Release", "pedigree_kernels.node");
  loaded = null;
  if (process.env.PEDIGREE_KERNELS === "reference") return loaded;
  if (!existsSync(file)) {
    process.emitWarning("the native kernels are not built (run `npm run build:native`); the engine uses its slow TypeScript kernels", { code: "PEDIGREE_NO_NATIVE" });
    return loaded;
  }
  try {
    loaded = withEngineErrors(createRequire(import.meta.url)(file) as NativeAddon);
  } catch (error) {
    // e.g. built for another Node.js version
    process.emitWarning(`the native kernels do not load (${(error as Error).message}); rebuild them with \`npm run build:native\`. Using the TypeScript kernels`, { code: "PEDIGREE_NO_NATIVE" });
  }
  return loaded;
}

/**
 * The addon checks every argument against its shape before native code touches memory and throws a
 * plain Error carrying ENGINE_INVALID_ARGUMENT; each export is wrapped so that callers receive a
 * real EngineError (instanceof, isInstance, and the CLI's `error [CODE]` line).
 */
function withEngineErrors(addon: NativeAddon): NativeAddon {
  const wrapped: Record<string, unknown> = {};
  // The addon's properties are not enumerable: list them by name.
  for (const name of Object.getOwnPropertyNames(addon)) {
    const fn = (addon as unknown as Record<string, unknown>)[name];
    if (typeof fn !== "function") continue;
    wrapped[name] = (...args: unknown[]) => {
      try {
        return (fn as (...a: unknown[]) => unknown)(...args);
      } catch (error) {
        throw asEngineError(error);
      }
    };
  }
  return wrapped as unknown as NativeAddon;
}

function asEngineError(error: unknown): unknown {
  if (error instanceof EngineError || !(error instanceof Error)) return error;
  if ((error as { code?: unknown }).code !== "ENGINE_INVALID_ARGUMENT") return error;
  return new EngineError("ENGINE_INVALID_ARGUMENT", error.message, { cause: error });
}
