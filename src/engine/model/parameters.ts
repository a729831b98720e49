// All parameters (and, with the same layout, their gradients and AdamW moments) live in one flat
// Float32Array; each tensor is a view named as in GGUF. Matrices are row-major (out, in), y = W·x.
import { EngineError } from "../errors.js";
import type { Random } from "../../random/index.js";
import { checkConfig, headDim, type LlamaConfig } from "./config.js";

export interface TensorSpec {
  name: string;
  rows: number;  // out (1 for vectors)
  cols: number;  // in
}

export interface LayerTensors {
  attnNorm: Float32Array;  // (C)
  wq: Float32Array;        // (C, C)       = (NH*hd, C)
  wk: Float32Array;        // (NKV*hd, C)
  wv: Float32Array;        // (NKV*hd, C)
  wo: Float32Array;        // (C, C)
  ffnNorm: Float32Array;   // (C)
  wGate: Float32Array;     // (F, C)
  wUp: Float32Array;       // (F, C)
  wDown: Float32Array;     // (C, F)
}

export interface ModelTensors {
  data: Float32Array;        // everything, in tensorSpecs order
  tokenEmbd: Float32Array;   // (V, C)
  layers: LayerTensors[];    // L
  outputNorm: Float32Array;  // (C)
  output: Float32Array;      // (V, C); the same view as tokenEmbd when tied
  byName: Map<string, Float32Array>;
}

export function tensorSpecs(config: LlamaConfig): TensorSpec[] {
  const { vocabSize: V, embeddingLength: C, feedForwardLength: F } = config;
  const KV = config.headCountKv * headDim(config);
  const specs: TensorSpec[] = [{ name: "token_embd.weight", rows: V, cols: C }];
  for (let l = 0; l < config.blockCount; l++) {
    const p = `blk.${l}.`;
    specs.push(
      { name: p + "attn_norm.weight", rows: 1, cols: C },
      { name: p + "attn_q.weight", rows: C, cols: C },
      { name: p + "attn_k.weight", rows: KV, cols: C },
      { name: p + "attn_v.weight", rows: KV, cols: C },
      { name: p + "attn_output.weight", rows: C, cols: C },
      { name: p + "ffn_norm.weight", rows: 1, cols: C },
      { name: p + "ffn_gate.weight", rows: F, cols: C },
      { name: p + "ffn_up.weight", rows: F, cols: C },
      { name: p + "ffn_down.weight", rows: C, cols: F },
    );
  }
  specs.push({ name: "output_norm.weight", rows: 1, cols: C });
  if (!config.tiedOutput) specs.push({ name: "output.weight", rows: V, cols: C });
  return specs;
}

export function parameterCount(config: LlamaConfig): number {
  return tensorSpecs(config).reduce((n, s) => n + s.rows * s.cols, 0);
}

/** Views over `data` (allocated when absent): parameters, gradients and optimizer moments alike. */
export function createTensors(config: LlamaConfig, data?: Float32Array): ModelTensors {
  checkConfig(config);
  const total = parameterCount(config);
  const buffer = data ?? new Float32Array(total);
  if (buffer.length !== total) throw new EngineError("ENGINE_INVALID_ARGUMENT", `parameter buffer has ${buffer.length} values, expected ${total}`);
  const byName = new Map<string, Float32Array>();
  let offset = 0;
  for (const s of tensorSpecs(config)) {
    byName.set(s.name, buffer.subarray(offset, offset + s.rows * s.cols));
    offset += s.rows * s.cols;
  }
  const get = (name: string) => byName.get(name)!;
  const layers: LayerTensors[] = [];
  for (let l = 0; l < config.blockCount; l++) {
    const p = `blk.${l}.`;
    layers.push({
      attnNorm: get(p + "attn_norm.weight"), wq: get(p + "attn_q.weight"), wk: get(p + "attn_k.weight"),
      wv: get(p + "attn_v.weight"), wo: get(p + "attn_output.weight"), ffnNorm: get(p + "ffn_norm.weight"),
      wGate: get(p + "ffn_gate.weight"), wUp: get(p + "ffn_up.weight"), wDown: get(p + "ffn_down.weight"),
    });
  }
  const tokenEmbd = get("token_embd.weight");
  return { data: buffer, tokenEmbd, layers, outputNorm: get("output_norm.weight"), output: config.tiedOutput ? tokenEmbd : get("output.weight"), byName };
}

/** GPT-2 / llm.c initialisation: N(0, 0.02), residual projections scaled by 1/sqrt(2L), norms 1. */
export function initializeParameters(config: LlamaConfig, random: Random): ModelTensors {
  const t = createTensors(config);
  const fill = (w: Float32Array, std: number) => { for (let i = 0; i < w.length; i++) w[i] = random.normal() * std; };
  const residualStd = 0.02 / Math.sqrt(2 * config.blockCount);
  fill(t.tokenEmbd, 0.02);
  for (const layer of t.layers) {
    layer.attnNorm.fill(1);
    fill(layer.wq, 0.02); fill(layer.wk, 0.02); fill(layer.wv, 0.02); fill(layer.wo, residualStd);
    layer.ffnNorm.fill(1);
    fill(layer.wGate, 0.02); fill(layer.wUp, 0.02); fill(layer.wDown, residualStd);
  }
  t.outputNorm.fill(1);
  if (!config.tiedOutput) fill(t.output, 0.02);
  return t;
}
