// Tiny random llama-architecture GGUF files with a byte-level BPE vocabulary: fixtures for the
// engine, the llama.cpp adapter and anything that needs a real model file. Seeded, so the same
// options give the same bytes. Weights are returned too (row-major (out, in), as stored), ready for
// the float64 reference forward pass.
import { writeFile } from "node:fs/promises";
import { encodeGguf, gguf, halfToFloat, floatToHalf, type GgufTensorInput, type GgufValue } from "../gguf/index.js";
import { createRandom, type Random } from "../../random/index.js";
import { tokenizerMetadata, trainBpe, type BpeTokenizer } from "../tokenizer/index.js";

export interface TinyGgufOptions {
  layers?: number;        // L, default 2
  width?: number;         // C, default 32
  heads?: number;         // NH, default 4
  kvHeads?: number;       // NKV, default = heads
  ff?: number;            // F, default 64
  ropeBase?: number;      // default 10000
  tied?: boolean;         // output layer tied to the embedding (no output.weight), default true
  seed?: number;          // default 1
  vocabSize?: number;     // default 320 (256 bytes + merges + 3 specials)
  contextLength?: number; // default 256
  rmsEps?: number;        // default 1e-5
  type?: "F32" | "F16";   // matrices' storage type, default F32 (norms stay F32)
  /** Text the vocabulary is trained on; default a built-in mixed sample. */
  texts?: string[];
}

export interface TinyGguf {
  bytes: Buffer;
  tokenizer: BpeTokenizer;
  config: {
    vocabSize: number; embeddingLength: number; blockCount: number; headCount: number; headCountKv: number;
    feedForwardLength: number; rmsEps: number; ropeBase: number; contextLength: number;
  };
  /** Values as stored in the file (after any F16 rounding), row-major (out, in), keyed by tensor name. */
  weights: Record<string, Float32Array>;
}

export const sampleTexts = [
  "The quick brown fox jumps over the lazy dog. It's 12:30 and we've got 3,141 apples!",
  "Paris is the capital of France; Berlin is the capital of Germany. Tokyo, Japan.",
  "function add(a, b) {\n  return a + b; // sum\n}\n\nconst x = [1, 2, 3].map((n) => n * 2);",
  "Ünïcödé: naïve café, Ελληνικά, русский, 日本語のテキスト, emoji 🙂👍.",
  "    indented    text\twith\ttabs\n\n\nand  many   spaces   ",
  "<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n4<|im_end|>\n",
];

function randomMatrix(random: Random, rows: number, cols: number, scale: number): Float32Array {
  return Float32Array.from({ length: rows * cols }, () => random.normal() * scale);
}

export function tinyGguf(options: TinyGgufOptions = {}): TinyGguf {
  const L = options.layers ?? 2, C = options.width ?? 32, NH = options.heads ?? 4, NKV = options.kvHeads ?? NH;
  const F = options.ff ?? 64, ropeBase = options.ropeBase ?? 10000, tied = options.tied ?? true;
  const rmsEps = options.rmsEps ?? 1e-5, contextLength = options.contextLength ?? 256, type = options.type ?? "F32";
  const tokenizer = trainBpe(options.texts ?? sampleTexts, { vocabSize: options.vocabSize ?? 320 });
  const V = tokenizer.vocabSize, headDim = C / NH;
  const random = createRandom(options.seed ?? 1);
  const tensors: GgufTensorInput[] = [];
  const weights: Record<string, Float32Array> = {};
  const stored = (data: Float32Array, t: "F32" | "F16") => (t === "F16" ? data.map((x) => halfToFloat(floatToHalf(x))) : data);
  const add = (name: string, rows: number, cols: number, data: Float32Array, t: "F32" | "F16" = type) => {
    weights[name] = stored(data, t);
    tensors.push({ name, shape: rows === 1 ? [cols] : [cols, rows], type: t, data });
  };
  const norm = () => Float32Array.from({ length: C }, () => 1 + 0.1 * random.normal());

  // Small embeddings keep tied-output logits moderate (a token's own embedding would dominate).
  add("token_embd.weight", V, C, randomMatrix(random, V, C, 0.3));
  for (let l = 0; l < L; l++) {
    const b = `blk.${l}.`;
    add(`${b}attn_norm.weight`, 1, C, norm(), "F32");
    add(`${b}attn_q.weight`, NH * headDim, C, randomMatrix(random, NH * headDim, C, 1 / Math.sqrt(C)));
    add(`${b}attn_k.weight`, NKV * headDim, C, randomMatrix(random, NKV * headDim, C, 1 / Math.sqrt(C)));
    add(`${b}attn_v.weight`, NKV * headDim, C, randomMatrix(random, NKV * headDim, C, 1 / Math.sqrt(C)));
    add(`${b}attn_output.weight`, C, NH * headDim, randomMatrix(random, C, NH * headDim, 1 / Math.sqrt(C)));
    add(`${b}ffn_norm.weight`, 1, C, norm(), "F32");
    add(`${b}ffn_gate.weight`, F, C, randomMatrix(random, F, C, 1 / Math.sqrt(C)));
    add(`${b}ffn_up.weight`, F, C, randomMatrix(random, F, C, 1 / Math.sqrt(C)));
    add(`${b}ffn_down.weight`, C, F, randomMatrix(random, C, F, 1 / Math.sqrt(F)));
  }
  add("output_norm.weight", 1, C, norm(), "F32");
  if (!tied) add("output.weight", V, C, randomMatrix(random, V, C, 2 / Math.sqrt(C)));

  const metadata: [string, GgufValue][] = [
    ["general.architecture", gguf.str("llama")],
    ["general.name", gguf.str(`tiny-${L}x${C}-seed${options.seed ?? 1}`)],
    ["llama.context_length", gguf.u32(contextLength)],
    ["llama.embedding_length", gguf.u32(C)],
    ["llama.block_count", gguf.u32(L)],
    ["llama.feed_forward_length", gguf.u32(F)],
    ["llama.attention.head_count", gguf.u32(NH)],
    ["llama.attention.head_count_kv", gguf.u32(NKV)],
    ["llama.attention.layer_norm_rms_epsilon", gguf.f32(rmsEps)],
    ["llama.rope.freq_base", gguf.f32(ropeBase)],
    ["llama.rope.dimension_count", gguf.u32(headDim)],
    ["llama.vocab_size", gguf.u32(V)],
    ...tokenizerMetadata(tokenizer),
  ];
  return {
    bytes: encodeGguf({ metadata, tensors }),
    tokenizer,
    config: { vocabSize: V, embeddingLength: C, blockCount: L, headCount: NH, headCountKv: NKV, feedForwardLength: F, rmsEps: Math.fround(rmsEps), ropeBase: Math.fround(ropeBase), contextLength },
    weights,
  };
}

export async function writeTinyGguf(path: string, options: TinyGgufOptions = {}): Promise<TinyGguf> {
  const tiny = tinyGguf(options);
  await writeFile(path, tiny.bytes);
  return tiny;
}
