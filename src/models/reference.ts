// Model references: one string names a model everywhere (DESIGN.md, "Model references").
import { ModelError } from "./errors.js";

export type ModelReference =
  | { kind: "builtin"; name: string }
  | { kind: "engine"; path: string }
  | { kind: "llama-cpp"; path: string }
  | { kind: "openai"; model: string }
  | { kind: "http"; baseURL: string; model: string };

const builtinName = /^[a-z][a-z0-9-]*$/;

export function parseModelReference(reference: string): ModelReference {
  const ref = reference.trim();
  if (ref.startsWith("llamacpp:")) {
    const path = ref.slice("llamacpp:".length);
    if (!path) throw badReference(reference, "llamacpp: needs a file path, e.g. llamacpp:./model.gguf");
    return { kind: "llama-cpp", path };
  }
  if (ref.startsWith("openai:")) {
    const model = ref.slice("openai:".length);
    if (!model) throw badReference(reference, "openai: needs a model name, e.g. openai:gpt-4o-mini");
    return { kind: "openai", model };
  }
  if (/^https?:\/\//.test(ref)) {
    const hash = ref.indexOf("#");
    const model = hash < 0 ? "" : ref.slice(hash + 1);
    if (!model) throw badReference(reference, "an HTTP reference names the model after '#', e.g. http://127.0.0.1:8080/v1#my-model");
    return { kind: "http", baseURL: ref.slice(0, hash).replace(/\/+$/, ""), model };
  }
  if (ref.endsWith(".gguf") || ref.startsWith("./") || ref.startsWith("../") || ref.startsWith("/")) {
    return { kind: "engine", path: ref };
  }
  if (builtinName.test(ref)) return { kind: "builtin", name: ref };
  throw badReference(reference, "use a built-in name (atlas), ./file.gguf, llamacpp:./file.gguf, openai:MODEL or http://HOST:PORT/v1#MODEL");
}

function badReference(reference: string, hint: string): ModelError {
  return new ModelError("MODEL_BAD_REFERENCE", `cannot understand the model reference '${reference}': ${hint}`);
}
