// `--watermark KEYFILE` for generating commands: a watermark is a logits processor, so it needs a
// white-box model whose sampling happens in the project.
import { ModelError } from "../models/errors.js";
import { isTokenModel, type ChatModel } from "../models/spec.js";
import type { LogitsProcessor } from "../engine/sampling/logits-processor.js";

export interface LoadedWatermark {
  scheme: string;
  keyId: string;
  processor: LogitsProcessor;
}

export async function loadWatermarkProcessor(keyFile: string, model: ChatModel): Promise<LoadedWatermark> {
  if (!isTokenModel(model)) {
    throw new ModelError("MODEL_UNSUPPORTED", "--watermark needs a white-box model (built-in, ./file.gguf or llamacpp:./file.gguf): API models sample on their own servers");
  }
  const { readKeyFile, createWatermark } = await import("../watermark/index.js");
  const watermark = createWatermark(await readKeyFile(keyFile));
  return { scheme: watermark.scheme, keyId: watermark.keyId, processor: watermark.processor() };
}
