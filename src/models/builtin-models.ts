// The built-in models: GGUF files shipped in the package's models/ folder, each with a JSON card.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { ModelError } from "./errors.js";

/** models/ at the package root, from both src/models and dist/models. */
export const builtinModelsDirectory = fileURLToPath(new URL("../../models/", import.meta.url));

export interface BuiltinModelInfo {
  name: string;
  path: string;
  bytes: number;
  card: Record<string, unknown> | null;
}

export function builtinModelPath(name: string): string {
  return join(builtinModelsDirectory, `${name}.gguf`);
}

/** The file of a built-in model that exists; MODEL_UNKNOWN_BUILTIN (with the known names) otherwise. */
export function existingBuiltinModelPath(name: string): string {
  const path = builtinModelPath(name);
  if (existsSync(path)) return path;
  const known = listBuiltinModels().map((model) => model.name).join(", ") || "none installed";
  throw new ModelError("MODEL_UNKNOWN_BUILTIN", `no built-in model named '${name}' (built-in: ${known})`);
}

export function listBuiltinModels(): BuiltinModelInfo[] {
  if (!existsSync(builtinModelsDirectory)) return [];
  return readdirSync(builtinModelsDirectory)
    .filter((file) => file.endsWith(".gguf"))
    .sort()
    .map((file) => {
      const name = file.slice(0, -".gguf".length);
      const path = join(builtinModelsDirectory, file);
      const cardPath = join(builtinModelsDirectory, `${name}.json`);
      const card = existsSync(cardPath) ? (JSON.parse(readFileSync(cardPath, "utf8")) as Record<string, unknown>) : null;
      return { name, path, bytes: statSync(path).size, card };
    });
}
