// The model configuration: one object, named after the GGUF `llama.*` keys, with named sizes.
// Letters used across the engine: B batch, T time (sequence), C channels (embedding), V vocabulary,
// L layers, NH query heads, NKV key/value heads, hd head size (C / NH), F feed-forward width.
import { EngineError } from "../errors.js";

export interface LlamaConfig {
  vocabSize: number;          // V, set from the tokenizer
  contextLength: number;      // longest sequence (positions) the model is trained for
  embeddingLength: number;    // C
  blockCount: number;         // L
  headCount: number;          // NH
  headCountKv: number;        // NKV, divides NH (grouped-query attention; NKV = NH is plain MHA)
  feedForwardLength: number;  // F, SwiGLU hidden width (≈ 8/3·C in Llama)
  rmsEps: number;             // RMSNorm epsilon
  ropeBase: number;           // RoPE frequency base (10000 in Llama 1/2)
  tiedOutput: boolean;        // output layer shares token_embd (no output.weight tensor)
}

export type ModelSize = Omit<LlamaConfig, "vocabSize">;

const defaults = { rmsEps: 1e-5, ropeBase: 10000, tiedOutput: true };

/** Named sizes. Parameter counts are for V = 2048 (the built-in tokenizer) with a tied output. */
export const modelSizes: Record<string, ModelSize> = {
  // ~0.2M: unit tests and smoke runs
  tiny: { ...defaults, contextLength: 128, embeddingLength: 64, blockCount: 2, headCount: 4, headCountKv: 2, feedForwardLength: 176 },
  // ~0.7M: a quarter of the built-in teacher, the default distilled student
  mini: { ...defaults, contextLength: 256, embeddingLength: 128, blockCount: 3, headCount: 4, headCountKv: 2, feedForwardLength: 256 },
  // ~1M: baselines and students
  small: { ...defaults, contextLength: 256, embeddingLength: 128, blockCount: 4, headCount: 4, headCountKv: 2, feedForwardLength: 352 },
  // ~2.83M: the shipped teacher, models/atlas.gguf (config.test.ts pins the two together)
  atlas: { ...defaults, contextLength: 256, embeddingLength: 192, blockCount: 6, headCount: 6, headCountKv: 3, feedForwardLength: 512 },
};

export function modelSize(name: string): ModelSize {
  const size = modelSizes[name];
  if (!size) throw new EngineError("ENGINE_INVALID_ARGUMENT", `unknown model size "${name}"; use one of ${Object.keys(modelSizes).join(", ")}`);
  return size;
}

export function headDim(config: LlamaConfig): number {
  return config.embeddingLength / config.headCount;
}

/** Throws ENGINE_INVALID_ARGUMENT when the shapes do not fit together. */
export function checkConfig(config: LlamaConfig): void {
  const { embeddingLength: C, headCount: NH, headCountKv: NKV } = config;
  const bad = (why: string) => new EngineError("ENGINE_INVALID_ARGUMENT", `invalid model config: ${why}`);
  for (const key of ["vocabSize", "contextLength", "embeddingLength", "blockCount", "headCount", "headCountKv", "feedForwardLength"] as const) {
    if (!Number.isInteger(config[key]) || config[key] < 1) throw bad(`${key} must be a positive integer, got ${config[key]}`);
  }
  if (C % NH !== 0) throw bad(`embeddingLength ${C} is not a multiple of headCount ${NH}`);
  if ((C / NH) % 2 !== 0) throw bad(`head size ${C / NH} must be even for RoPE`);
  if (NKV > NH || NH % NKV !== 0) throw bad(`headCountKv ${NKV} must divide headCount ${NH}`);
  if (!(config.rmsEps > 0) || !(config.ropeBase > 0)) throw bad("rmsEps and ropeBase must be positive");
}
