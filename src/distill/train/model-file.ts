// Writes a trained model as a GGUF file the safe way (see files/): refused if the file exists and
// `force` is not set, written to a temporary file and renamed, so a crash never leaves half a model.
import type { LlamaConfig } from "../../engine/model/config.js";
import { encodeGguf } from "../../engine/gguf/write.js";
import { modelMetadata, modelTensorsForGguf, type ExportType } from "../../engine/model/gguf-mapping.js";
import type { ModelTensors } from "../../engine/model/parameters.js";
import { tokenizerMetadata, type BpeTokenizer } from "../../engine/tokenizer/index.js";
import { writeOutputFile } from "../../files/index.js";

export interface ModelFileOptions {
  name: string;
  type: ExportType;
  tokenizer: BpeTokenizer;
  force?: boolean;
}

export function writeModelFile(path: string, config: LlamaConfig, params: ModelTensors, options: ModelFileOptions): void {
  const bytes = encodeGguf({
    metadata: [...modelMetadata(config, options.name, options.type), ...tokenizerMetadata(options.tokenizer)],
    tensors: modelTensorsForGguf(config, params, options.type),
  });
  writeOutputFile(path, bytes, { force: options.force });
}
