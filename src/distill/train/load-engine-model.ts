// Engine models for training: a GGUF file (or a built-in name) → config, parameters and tokenizer.
import { readGgufFile } from "../../engine/gguf/index.js";
import { modelFromGguf } from "../../engine/model/gguf-mapping.js";
import type { LlamaConfig } from "../../engine/model/config.js";
import type { ModelTensors } from "../../engine/model/parameters.js";
import { tokenizerFromGguf } from "../../engine/tokenizer/index.js";
import type { BpeTokenizer } from "../../engine/tokenizer/index.js";
import { existingBuiltinModelPath } from "../../models/builtin-models.js";
import { parseModelReference } from "../../models/reference.js";
import { DistillError } from "../data/errors.js";

export interface EngineModelFile {
  path: string;
  config: LlamaConfig;
  params: ModelTensors;
  tokenizer: BpeTokenizer;
}

/** Accepts a built-in name, ./file.gguf or llamacpp:./file.gguf (the weights are the same file). */
export function engineModelPath(reference: string): string {
  const parsed = parseModelReference(reference);
  if (parsed.kind === "builtin") return existingBuiltinModelPath(parsed.name);
  if (parsed.kind === "engine" || parsed.kind === "llama-cpp") return parsed.path;
  throw new DistillError("TRAIN_NOT_WHITE_BOX", `'${reference}' is an API model; full-distribution distillation and student initialisation need a GGUF file or a built-in model`);
}

export async function loadEngineModelFile(reference: string): Promise<EngineModelFile> {
  const path = engineModelPath(reference);
  const file = await readGgufFile(path);
  const { config, params } = modelFromGguf(file);
  return { path, config, params, tokenizer: tokenizerFromGguf(file.metadata) };
}
