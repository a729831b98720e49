// resolveModel: a model reference → a ready model. Adapters load lazily, so an API-only user never
// loads node-llama-cpp and a llama.cpp user never loads the openai client.
import { existsSync } from "node:fs";
import { EngineError } from "../engine/errors.js";
import { existingBuiltinModelPath } from "./builtin-models.js";
import { parseModelReference } from "./reference.js";
import type { TransportName } from "./openai-compatible/index.js";
import type { ChatModel } from "./spec.js";

export interface ResolveOptions {
  /** Key for http:// references (else PEDIGREE_API_KEY). */
  apiKey?: string;
  timeoutMs?: number;
  /** HTTP references: retries of one request (default 2). A caller that retries whole requests passes 0. */
  maxRetries?: number;
  /** HTTP references: "sdk" (the official client, default) or "http" (node:http, for the gateway). */
  transport?: TransportName;
  /** llama-cpp threads; 1 by default (more are far slower on small machines). */
  threads?: number;
  env?: NodeJS.ProcessEnv;
}

export async function resolveModel(reference: string, options: ResolveOptions = {}): Promise<ChatModel> {
  const env = options.env ?? process.env;
  const parsed = parseModelReference(reference);
  switch (parsed.kind) {
    case "builtin": {
      return openEngine(existingBuiltinModelPath(parsed.name), parsed.name);
    }
    case "engine":
      requireFile(parsed.path);
      return openEngine(parsed.path, reference);
    case "llama-cpp": {
      requireFile(parsed.path);
      const { openLlamaCppModel } = await import("./llama-cpp/index.js");
      return openLlamaCppModel(parsed.path, { threads: options.threads ?? 1 });
    }
    case "openai":
      return openHttp(env.OPENAI_BASE_URL ?? "https://api.openai.com/v1", parsed.model, env.OPENAI_API_KEY, options);
    case "http":
      return openHttp(parsed.baseURL, parsed.model, options.apiKey ?? env.PEDIGREE_API_KEY, options);
  }
}

async function openEngine(path: string, id: string): Promise<ChatModel> {
  const { openEngineModel } = await import("./builtin/index.js");
  const model = await openEngineModel(path);
  return Object.assign(model, { id });
}

async function openHttp(baseURL: string, model: string, apiKey: string | undefined, options: ResolveOptions): Promise<ChatModel> {
  const { createOpenAICompatibleModel } = await import("./openai-compatible/index.js");
  return createOpenAICompatibleModel({ baseURL, model, apiKey, timeoutMs: options.timeoutMs, maxRetries: options.maxRetries, transport: options.transport });
}

/** Checked before an adapter loads: the engine's own code for a GGUF file that is not there. */
function requireFile(path: string): void {
  if (!existsSync(path)) throw new EngineError("GGUF_NOT_FOUND", `cannot read GGUF file ${path}: no such file`);
}
