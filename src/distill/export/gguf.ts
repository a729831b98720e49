// GGUF export of a model: the file is read and validated by the engine, its parameters dequantised,
// and written again through the engine's GGUF writer (F32, F16 or Q8_0 matrices, norms in F32),
// keeping the tokenizer and the general.* metadata. The result is checked by reading its header back.
// The bytes go through the files leaf: an existing --out is refused unless forced, before any work.
// Q8_0 follows llama.cpp's quantize (src/llama-quant.cpp) for this type: every 2-D weight, the token
// embeddings and output matrix included, becomes Q8_0 (its K-quant mixes raise the output to Q6_K,
// never for Q8_0); 1-D tensors (the norms) stay F32; a matrix whose rows are not a multiple of 32
// values has no Q8_0 fallback there and is refused here too.
import { readGgufFile, validateGgufFile } from "../../engine/gguf/read.js";
import { gguf, type GgufValue } from "../../engine/gguf/metadata.js";
import { Q8_0_BLOCK_SIZE } from "../../engine/gguf/quantize.js";
import { encodeGguf, type GgufTensorInput } from "../../engine/gguf/write.js";
import { assertOutputFree, writeOutputFile } from "../../files/index.js";
import { modelFromGguf, modelMetadata, modelTensorsForGguf } from "../../engine/model/gguf-mapping.js";
import type { LlamaConfig } from "../../engine/model/config.js";
import { existingBuiltinModelPath } from "../../models/builtin-models.js";
import { parseModelReference } from "../../models/reference.js";
import { DistillError } from "../data/errors.js";

/** How the exported file stores its matrices (1-D tensors are always F32). */
export type GgufExportType = "F32" | "F16" | "Q8_0";

/** general.file_type (llama.h llama_ftype) of each export type. */
const fileTypes: Record<GgufExportType, number> = { F32: 0, F16: 1, Q8_0: 7 };

export interface GgufExportOptions {
  /** Matrix type; default: as the source (F16 if it stores any matrix in F16, else Q8_0 if any in Q8_0, else F32). */
  type?: GgufExportType;
  /** general.name of the exported model (default: the source's, else the file name). */
  name?: string;
  /** Replace an existing output file (the command's --force). */
  force?: boolean;
}

export interface GgufExportSummary {
  model: string;
  source: string;
  out: string;
  type: GgufExportType;
  tensors: number;
  parameters: number;
  bytes: number;
  /** Source tensor types that were converted, with counts (e.g. { Q8_0: 14 }). */
  converted: Record<string, number>;
}

/** The model's general.* and llama.* keys; a quantised file also says its quantisation format version. */
function exportMetadata(config: LlamaConfig, name: string, type: GgufExportType): [string, GgufValue][] {
  const metadata = modelMetadata(config, name, type === "Q8_0" ? "F32" : type)
    .map(([key, value]): [string, GgufValue] => (key === "general.file_type" ? [key, gguf.u32(fileTypes[type])] : [key, value]));
  // GGML_QNT_VERSION (ggml.h), which llama.cpp's quantize writes beside general.file_type.
  if (type === "Q8_0") metadata.push(["general.quantization_version", gguf.u32(2)]);
  return metadata;
}

/** Matrices as Q8_0, 1-D tensors kept F32; refused when a matrix's rows are not whole Q8_0 blocks. */
function quantisedTensors(tensors: GgufTensorInput[]): GgufTensorInput[] {
  return tensors.map((tensor) => {
    if (tensor.shape.length < 2) return tensor;
    if (tensor.shape[0]! % Q8_0_BLOCK_SIZE !== 0) {
      throw new DistillError("EXPORT_UNSUPPORTED", `cannot export as Q8_0: tensor "${tensor.name}" has rows of ${tensor.shape[0]} values, not a multiple of ${Q8_0_BLOCK_SIZE} (llama.cpp refuses it too); export it as F16 or F32`);
    }
    return { ...tensor, type: "Q8_0" };
  });
}

/** The GGUF file behind a model reference; API models have none. */
export function modelFilePath(reference: string): string {
  const parsed = parseModelReference(reference);
  switch (parsed.kind) {
    case "builtin":
      return existingBuiltinModelPath(parsed.name);
    case "engine":
    case "llama-cpp":
      return parsed.path;
    default:
      throw new DistillError("EXPORT_UNSUPPORTED", `'${reference}' is an API model; only built-in and GGUF models (atlas, ./file.gguf, llamacpp:./file.gguf) can be exported as GGUF`);
  }
}

export async function exportModelGguf(reference: string, out: string, options: GgufExportOptions = {}): Promise<GgufExportSummary> {
  const source = modelFilePath(reference);
  assertOutputFree(out, { force: options.force });
  const file = await readGgufFile(source);
  const { config, params } = modelFromGguf(file);
  const matrixTypes = file.tensors.filter((tensor) => tensor.shape.length > 1).map((tensor) => tensor.type);
  const type: GgufExportType = options.type ?? (matrixTypes.includes("F16") ? "F16" : matrixTypes.includes("Q8_0") ? "Q8_0" : "F32");
  const tensors = type === "Q8_0" ? quantisedTensors(modelTensorsForGguf(config, params, "F32")) : modelTensorsForGguf(config, params, type);
  const converted: Record<string, number> = {};
  for (const tensor of tensors) {
    const from = file.tensorInfo(tensor.name)!.type;
    if (from !== tensor.type) converted[from] = (converted[from] ?? 0) + 1;
  }
  const sourceName = file.metadata.get("general.name");
  const name = options.name ?? (sourceName?.type === "string" ? sourceName.value : reference);
  const written = exportMetadata(config, name, type);
  const keys = new Set(written.map(([key]) => key));
  // Everything the model metadata does not set again: tokenizer.*, other general.* keys (a source's
  // quantization_version describes its own quantised tensors, not these).
  const kept: [string, GgufValue][] = [...file.metadata].filter(([key]) => !keys.has(key) && !key.startsWith("llama.") && key !== "general.alignment" && key !== "general.quantization_version");
  writeOutputFile(out, encodeGguf({ metadata: [...written, ...kept], tensors }), { force: options.force });
  const check = await validateGgufFile(out);
  return {
    model: reference,
    source,
    out,
    type,
    tensors: check.tensors.length,
    parameters: check.tensors.reduce((sum, tensor) => sum + tensor.elements, 0),
    bytes: check.fileSize,
    converted,
  };
}
