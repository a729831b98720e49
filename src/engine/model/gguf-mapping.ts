// Model config ↔ GGUF metadata, and parameters ↔ GGUF tensors. A row-major (out, in) matrix is the
// GGUF tensor with dims [in, out]; 1-D norm weights stay F32 in F16 files (as llama.cpp's converter).
import { gguf, type GgufValue } from "../gguf/metadata.js";
import { llamaHyperParameters } from "../gguf/llama-hparams.js";
import { writeGgufFile, type GgufTensorInput } from "../gguf/write.js";
import type { GgufFile } from "../gguf/read.js";
import type { LlamaConfig } from "./config.js";
import { createTensors, tensorSpecs, type ModelTensors } from "./parameters.js";

export type ExportType = "F32" | "F16";

/** The `general.*` and `llama.*` keys of a model (tokenizer keys come from the tokenizer). */
export function modelMetadata(config: LlamaConfig, name: string, type: ExportType): [string, GgufValue][] {
  const hd = config.embeddingLength / config.headCount;
  return [
    ["general.architecture", gguf.str("llama")],
    ["general.name", gguf.str(name)],
    ["general.file_type", gguf.u32(type === "F16" ? 1 : 0)],
    ["llama.vocab_size", gguf.u32(config.vocabSize)],
    ["llama.context_length", gguf.u32(config.contextLength)],
    ["llama.embedding_length", gguf.u32(config.embeddingLength)],
    ["llama.block_count", gguf.u32(config.blockCount)],
    ["llama.feed_forward_length", gguf.u32(config.feedForwardLength)],
    ["llama.attention.head_count", gguf.u32(config.headCount)],
    ["llama.attention.head_count_kv", gguf.u32(config.headCountKv)],
    ["llama.attention.layer_norm_rms_epsilon", gguf.f32(config.rmsEps)],
    ["llama.rope.freq_base", gguf.f32(config.ropeBase)],
    ["llama.rope.dimension_count", gguf.u32(hd)],
  ];
}

export function modelTensorsForGguf(config: LlamaConfig, params: ModelTensors, type: ExportType): GgufTensorInput[] {
  return tensorSpecs(config).map((s) => ({
    name: s.name,
    shape: s.rows === 1 ? [s.cols] : [s.cols, s.rows],
    type: s.rows === 1 ? "F32" : type,
    data: params.byName.get(s.name)!,
  }));
}

export interface ExportOptions {
  name: string;
  type?: ExportType;
  /** tokenizer.* metadata (from the tokenizer's GGUF writer) */
  tokenizerMetadata: Iterable<[string, GgufValue]>;
}

export async function exportGguf(path: string, config: LlamaConfig, params: ModelTensors, options: ExportOptions): Promise<void> {
  const type = options.type ?? "F32";
  await writeGgufFile(path, {
    metadata: [...modelMetadata(config, options.name, type), ...options.tokenizerMetadata],
    tensors: modelTensorsForGguf(config, params, type),
  });
}

/** Config and parameters of a validated llama GGUF file (tensors dequantised to F32). */
export function modelFromGguf(file: GgufFile): { config: LlamaConfig; params: ModelTensors } {
  const h = llamaHyperParameters(file.metadata);
  const config: LlamaConfig = {
    vocabSize: h.vocabSize, contextLength: h.contextLength, embeddingLength: h.embeddingLength, blockCount: h.blockCount,
    headCount: h.headCount, headCountKv: h.headCountKv, feedForwardLength: h.feedForwardLength, rmsEps: h.rmsEps,
    ropeBase: h.ropeBase, tiedOutput: file.tensorInfo("output.weight") === undefined,
  };
  const params = createTensors(config);
  for (const s of tensorSpecs(config)) params.byName.get(s.name)!.set(file.tensor(s.name));
  return { config, params };
}
