// Content hashes of the audited models, so a report pins exactly which files were tested. API models
// have no file; their reference is all the report can name.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { builtinModelPath, parseModelReference } from "../../models/index.js";

export function modelHash(reference: string): string | null {
  const parsed = parseModelReference(reference);
  const path = parsed.kind === "builtin" ? builtinModelPath(parsed.name) : parsed.kind === "engine" || parsed.kind === "llama-cpp" ? parsed.path : null;
  if (!path) return null;
  return "sha256:" + createHash("sha256").update(readFileSync(path)).digest("hex");
}
