// The `builtin` adapter: a GGUF file run on the project's own engine, as a TokenModel. Generation
// (sampling, processors, stop sequences) is the shared loop of token-generation.ts; this backend
// supplies logits from a KV-cache session and full next-token distributions.
import { basename } from "node:path";
import { loadGgufModel } from "../../engine/model/load.js";
import { InferenceSession } from "../../engine/model/inference.js";
import { nextTokenDistributions } from "../../engine/model/distributions.js";
import { ModelError } from "../errors.js";
import type { TokenModel } from "../spec.js";
import { createTokenChatModel, type TokenBackend } from "../token-generation.js";

export async function openEngineModel(path: string): Promise<TokenModel> {
  const { config, params, tokenizer } = await loadGgufModel(path);
  // One decoder for every session: it holds the weights as the file stores them (F16 or F32).
  const decoder = InferenceSession.prepareDecoder(config, params);
  const backend: TokenBackend = {
    id: basename(path),
    tokenizer,
    contextLength: config.contextLength,
    async startSession() {
      const session = new InferenceSession(config, params, { decoder });
      return { feed: async (tokens: number[]) => session.feed(tokens) };
    },
    async nextDistributions(tokens: Int32Array) {
      // The same code as every adapter's overflow, which the gateway and harvest recognise.
      if (tokens.length > config.contextLength) {
        throw new ModelError("MODEL_CONTEXT_OVERFLOW", `${tokens.length} tokens do not fit the ${config.contextLength}-token context of ${basename(path)}; pass a shorter text`);
      }
      return nextTokenDistributions(config, params, tokens);
    },
  };
  return createTokenChatModel(backend);
}
