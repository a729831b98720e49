// Hyper-parameters of a llama-architecture GGUF, named after the `llama.*` keys, with llama.cpp's
// defaults. Raises GGUF_UNSUPPORTED for variants the engine does not implement.
import { EngineError } from "../errors.js";
import { metaFloat, metaInteger, metaString, type GgufMetadata } from "./metadata.js";
import { llamaShapes } from "./llama-checks.js";

export interface LlamaHyperParameters {
  vocabSize: number;          // V
  contextLength: number;      // longest sequence the model was trained for
  embeddingLength: number;    // C
  blockCount: number;         // L
  headCount: number;          // NH
  headCountKv: number;        // NKV ≤ NH (grouped-query attention)
  headDim: number;            // C / NH
  feedForwardLength: number;  // F (SwiGLU hidden size)
  rmsEps: number;
  ropeBase: number;           // default 10000
}

export function llamaHyperParameters(meta: GgufMetadata): LlamaHyperParameters {
  const s = llamaShapes(meta);
  const headDim = s.embeddingLength / s.headCount;
  const unsupported = (what: string) => new EngineError("GGUF_UNSUPPORTED", `this llama model uses ${what}, which the built-in engine does not implement; run it with llamacpp:PATH instead`);
  if (s.keyLength !== headDim || s.valueLength !== headDim) throw unsupported("a head size other than embedding_length / head_count");
  const ropeDims = metaInteger(meta, "llama.rope.dimension_count", headDim);
  if (ropeDims !== headDim) throw unsupported(`partial rotary embeddings (${ropeDims} of ${headDim} dimensions)`);
  const scaling = metaString(meta, "llama.rope.scaling.type", "none");
  if (scaling !== "none") throw unsupported(`RoPE scaling "${scaling}"`);
  return {
    vocabSize: s.vocabSize,
    contextLength: metaInteger(meta, "llama.context_length"),
    embeddingLength: s.embeddingLength,
    blockCount: s.blockCount,
    headCount: s.headCount,
    headCountKv: s.headCountKv,
    headDim,
    feedForwardLength: s.feedForwardLength,
    rmsEps: metaFloat(meta, "llama.attention.layer_norm_rms_epsilon"),
    ropeBase: metaFloat(meta, "llama.rope.freq_base", 10000) ?? 10000,
  };
}
