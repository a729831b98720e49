// `--watermark KEYFILE` for generating commands: a watermark is a logits processor, so it needs a
// white-box model whose sampling happens in the project. Key files are read through one helper that
// warns, once per file, when other users can read the secret.
import { ModelError } from "../models/errors.js";
import { isTokenModel, type ChatModel } from "../models/spec.js";
import type { LogitsProcessor } from "../engine/sampling/logits-processor.js";
import type { WatermarkKey } from "../watermark/key.js";
import { note } from "./output.js";

export interface LoadedWatermark {
  scheme: string;
  keyId: string;
  processor: LogitsProcessor;
}

const warnedKeyFiles = new Set<string>();

/** Reads a key file; a key readable by group or others gets one `warning:` line on stderr per process. */
export async function readWatermarkKey(keyFile: string): Promise<WatermarkKey> {
  const { readKeyFile } = await import("../watermark/index.js");
  return readKeyFile(keyFile, {
    onWarning: (message) => {
      if (warnedKeyFiles.has(keyFile)) return;
      warnedKeyFiles.add(keyFile);
      note(`warning: ${message}`);
    },
  });
}

export async function loadWatermarkProcessor(keyFile: string, model: ChatModel): Promise<LoadedWatermark> {
  if (!isTokenModel(model)) {
    throw new ModelError("MODEL_UNSUPPORTED", "--watermark needs a white-box model (built-in, ./file.gguf or llamacpp:./file.gguf): API models sample on their own servers");
  }
  const { createWatermark } = await import("../watermark/index.js");
  const watermark = createWatermark(await readWatermarkKey(keyFile));
  return { scheme: watermark.scheme, keyId: watermark.keyId, processor: watermark.processor() };
}
