// GGUF export of a model: the file is read and validated by the engine, its parameters dequantised,
// and written again through the engine's GGUF writer (F32 or F16 matrices, norms in F32), keeping the
// tokenizer and the general.* metadata. The result is checked by reading its header back.
// The bytes go through the files leaf: an existing --out is refused unless forced, before any work.
import { readGgufFile, validateGgufFile } from "../../engine/gguf/read.js";
import type { GgufValue } from "../../engine/gguf/metadata.js";
import { encodeGguf } from "../../engine/gguf/write.js";
import { assertOutputFree, writeOutputFile } from "../../files/index.js";
import { modelFromGguf, modelMetadata, modelTensorsForGguf, type ExportType } from "../../engine/model/gguf-mapping.js";
import { existingBuiltinModelPath } from "../../models/builtin-models.js";
import { parseModelReference } from "../../models/reference.js";
import { DistillError } from "../data/errors.js";

export interface GgufExportOptions {
  /** F32 or F16 matrices; default: F16 if the source stores any matrix in F16, else F32. */
  type?: ExportType;
  /** general.name of the exported model (default: the source's, else the file name). */
  name?: string;
  /** Replace an existing output file (the command's --force). */
  force?: boolean;
}

export interface GgufExportSummary {
  model: string;
  source: string;
  out: string;
  type: ExportType;
  tensors: number;
  parameters: number;
  bytes: number;
  /** Source tensor types that were converted, with counts (e.g. { Q8_0: 14 }). */
  converted: Record<string, number>;
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
  const type: ExportType = options.type ?? (matrixTypes.includes("F16") ? "F16" : "F32");
  const tensors = modelTensorsForGguf(config, params, type);
  const converted: Record<string, number> = {};
  for (const tensor of tensors) {
    const from = file.tensorInfo(tensor.name)!.type;
    if (from !== tensor.type) converted[from] = (converted[from] ?? 0) + 1;
  }
  const sourceName = file.metadata.get("general.name");
  const name = options.name ?? (sourceName?.type === "string" ? sourceName.value : reference);
  const written = modelMetadata(config, name, type);
  const keys = new Set(written.map(([key]) => key));
  // Everything the model metadata does not set again: tokenizer.*, other general.* keys.
  const kept: [string, GgufValue][] = [...file.metadata].filter(([key]) => !keys.has(key) && !key.startsWith("llama.") && key !== "general.alignment");
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
