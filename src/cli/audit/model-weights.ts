// The MLP up-projections of a GGUF model (blk.N.ffn_up.weight, every block), dequantised to float32,
// for the audit's weight test. Models without a file (API references) have no weights to read.
import { gguf } from "../../engine/index.js";
import { existingBuiltinModelPath, parseModelReference } from "../../models/index.js";
import type { ModelUpProjections, UpProjection } from "../../audit/index.js";

function ggufPath(reference: string): string | null {
  const parsed = parseModelReference(reference);
  if (parsed.kind === "builtin") return existingBuiltinModelPath(parsed.name);
  if (parsed.kind === "engine" || parsed.kind === "llama-cpp") return parsed.path;
  return null;
}

/**
 * The up-projections of blocks 0, 1, … in order; null when the reference is not a GGUF file (an API
 * model). A GGUF reference whose file is missing or unreadable throws the engine's GGUF error.
 */
export async function readUpProjections(reference: string): Promise<ModelUpProjections | null> {
  const path = ggufPath(reference);
  if (path === null) return null;
  const file = await gguf.readGgufFile(path);
  const layers: UpProjection[] = [];
  for (let block = 0; ; block++) {
    const name = `blk.${block}.ffn_up.weight`;
    const info = file.tensorInfo(name);
    if (!info) break;
    // ggml order [d_model, d_ff]: the data is row-major with one row of d_model per hidden unit.
    const [cols, rows] = info.shape;
    layers.push({ rows, cols, data: file.tensor(name) });
  }
  return { layers };
}
