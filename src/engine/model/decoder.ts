// The native single-token decoder (native/src/decoder.cc): one call per generated token instead of
// a dozen kernel calls per layer. It copies the matrices once, in F16 when every value is exactly an
// F16 number (models loaded from F16 GGUF files), which halves the bytes each token streams.
// Without the native addon there is no decoder and InferenceSession uses its kernel path.
import { kernelName } from "../kernels/index.js";
import { loadNativeKernels } from "../kernels/native.js";
import { headDim, type LlamaConfig } from "./config.js";
import type { ModelTensors } from "./parameters.js";
import type { RopeTable } from "../layers/rope.js";

export interface Decoder {
  /** True when the matrices are held in F16. */
  readonly f16: boolean;
  /** Feeds one token at `pos`; fills its cache rows (L, positions, NKV·hd) and the next-token logits (V). */
  step(token: number, pos: number, kCache: Float32Array, vCache: Float32Array, logits: Float32Array): void;
}

/** Offsets (in floats) of every tensor in `params.data`, in the order decoder.h lists. */
function tensorOffsets(params: ModelTensors): Float64Array | null {
  const base = params.data.byteOffset;
  const views = [params.tokenEmbd];
  for (const w of params.layers) views.push(w.attnNorm, w.wq, w.wk, w.wv, w.wo, w.ffnNorm, w.wGate, w.wUp, w.wDown);
  views.push(params.outputNorm, params.output);
  if (views.some((view) => view.buffer !== params.data.buffer)) return null;
  return Float64Array.from(views, (view) => (view.byteOffset - base) / 4);
}

/** A decoder for these parameters, or null when the native kernels are not in use. */
export function createDecoder(config: LlamaConfig, params: ModelTensors, rope: RopeTable, options: { allowF16?: boolean } = {}): Decoder | null {
  const native = kernelName() === "native" ? loadNativeKernels() : null;
  const offsets = tensorOffsets(params);
  if (!native || !offsets) return null;
  const dims = Int32Array.of(config.vocabSize, config.embeddingLength, config.blockCount, config.headCount, config.headCountKv,
    headDim(config), config.feedForwardLength, rope.positions);
  const { handle, f16 } = native.decoderCreate(params.data, offsets, dims, config.rmsEps, rope.cos, rope.sin, options.allowF16 === false ? 0 : 1);
  return { f16, step: (token, pos, kCache, vCache, logits) => native.decoderStep(handle, token, pos, kCache, vCache, logits) };
}
