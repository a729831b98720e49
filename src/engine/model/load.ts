// Loading a llama GGUF file into the engine: validated header, F32 parameters and its tokenizer.
import { readGgufFile } from "../gguf/read.js";
import { tokenizerFromGguf } from "../tokenizer/gguf-tokenizer.js";
import type { BpeTokenizer } from "../tokenizer/bpe-tokenizer.js";
import type { LlamaConfig } from "./config.js";
import { modelFromGguf } from "./gguf-mapping.js";
import type { ModelTensors } from "./parameters.js";

export interface LoadedModel {
  config: LlamaConfig;
  params: ModelTensors;
  tokenizer: BpeTokenizer;
  name: string | undefined;
}

export async function loadGgufModel(path: string): Promise<LoadedModel> {
  const file = await readGgufFile(path);
  const tokenizer = tokenizerFromGguf(file.metadata);
  const { config, params } = modelFromGguf(file);
  const name = file.metadata.get("general.name");
  return { config, params, tokenizer, name: name?.type === "string" ? name.value : undefined };
}
