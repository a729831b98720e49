// The `llama-cpp` adapter: a local GGUF file run by llama.cpp through node-llama-cpp 3.21.1.
// The file is validated first (llama.cpp aborts the whole process on some malformed files);
// generation uses the project's seeded sampler and logits processors.
import { EngineError } from "../../engine/errors.js";
import { validateGgufFile } from "../../engine/gguf/read.js";
import { ModelError } from "../errors.js";
import type { TokenModel } from "../spec.js";
import { createTokenChatModel } from "../token-generation.js";
import { exactAttentionContextOptions } from "./exact-attention.js";
import { createLlamaCppBackend } from "./llama-cpp-backend.js";
import { createLlamaCppTokenizer } from "./llama-cpp-tokenizer.js";
import { sharedLlama } from "./llama-instance.js";

export interface LlamaCppOptions {
  /** CPU threads; default 1 (more threads are far slower on small shared machines). */
  threads?: number;
  /** Context size in tokens; default the model's training context, at most 4096. */
  contextSize?: number;
  /** Tokens llama.cpp evaluates at once; default min(512, contextSize). */
  batchSize?: number;
  /**
   * F32 KV cache and no flash attention, so scores are the same on every CPU; default true.
   * false uses llama.cpp's defaults: half the KV memory, faster on long contexts, but attention
   * precision then depends on the CPU's vector width (see exact-attention.ts).
   */
  exactAttention?: boolean;
  /** Model id reported in results; default the path. */
  id?: string;
}

async function validate(path: string) {
  try {
    return await validateGgufFile(path);
  } catch (error) {
    // The engine owns the GGUF_* codes; the error only gains the file's name.
    if (EngineError.isInstance(error)) throw new EngineError(error.code, `${path}: ${error.message}`, { cause: error });
    throw error;
  }
}

export async function openLlamaCppModel(path: string, options: LlamaCppOptions = {}): Promise<TokenModel> {
  const header = await validate(path);
  const template = header.metadata.get("tokenizer.chat_template");
  const llama = await sharedLlama();
  let model;
  try {
    model = await llama.loadModel({ modelPath: path });
  } catch (error) {
    throw new ModelError("MODEL_LOAD_FAILED", `llama.cpp could not load ${path}: ${(error as Error).message}`, { cause: error });
  }
  const contextSize = options.contextSize ?? Math.min(model.trainContextSize, 4096);
  const context = await model.createContext({
    contextSize,
    threads: options.threads ?? 1,
    sequences: 1,
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    ...(options.exactAttention === false ? {} : exactAttentionContextOptions),
  });
  const tokenizer = createLlamaCppTokenizer(model, header.shapes.vocabSize, template?.type === "string" ? template.value : undefined);
  return createTokenChatModel(createLlamaCppBackend({ id: options.id ?? path, model, context, tokenizer }));
}
