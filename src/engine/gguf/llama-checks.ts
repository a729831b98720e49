// Checks that a parsed GGUF header describes a llama-architecture model llama.cpp can load without
// aborting: required keys with the types llama.cpp insists on, tokenizer arrays, tensor shapes
// consistent with the hyper-parameters, and tensor data inside the file.
import { EngineError } from "../errors.js";
import type { GgufMetadata } from "./metadata.js";
import { metaArray, metaString } from "./metadata.js";
import type { GgufHeader, GgufTensorInfo } from "./parse-header.js";

const requiredUint32 = [
  "llama.context_length", "llama.embedding_length", "llama.block_count", "llama.feed_forward_length", "llama.attention.head_count",
];

function invalid(message: string): EngineError {
  return new EngineError("GGUF_INVALID", message);
}

function uint32(meta: GgufMetadata, key: string, required: boolean): number | undefined {
  const v = meta.get(key);
  if (!v) {
    if (required) throw new EngineError("GGUF_MISSING_KEY", `the GGUF file lacks the required key "${key}"; re-export the model with it`);
    return undefined;
  }
  if (v.type !== "uint32") throw invalid(`GGUF metadata "${key}" is ${v.type}, llama.cpp requires uint32`);
  if (v.value === 0 && key !== "llama.attention.head_count_kv") throw invalid(`GGUF metadata "${key}" is 0`);
  return v.value;
}

function float32(meta: GgufMetadata, key: string, required: boolean): number | undefined {
  const v = meta.get(key);
  if (!v) {
    if (required) throw new EngineError("GGUF_MISSING_KEY", `the GGUF file lacks the required key "${key}"; re-export the model with it`);
    return undefined;
  }
  if (v.type !== "float32") throw invalid(`GGUF metadata "${key}" is ${v.type}, llama.cpp requires float32`);
  return v.value;
}

export function checkArchitecture(meta: GgufMetadata): void {
  const architecture = metaString(meta, "general.architecture");
  if (architecture !== "llama") {
    throw new EngineError("GGUF_UNSUPPORTED", `GGUF architecture "${architecture}" is not supported; only "llama" is`);
  }
}

/** Vocabulary size after checking the tokenizer keys. */
function checkTokenizer(meta: GgufMetadata): number {
  const model = metaString(meta, "tokenizer.ggml.model");
  const tokens = metaArray(meta, "tokenizer.ggml.tokens", "string");
  if (tokens.length === 0) throw invalid(`GGUF "tokenizer.ggml.tokens" is empty`);
  if (model === "gpt2") metaArray(meta, "tokenizer.ggml.merges", "string");
  for (const key of ["tokenizer.ggml.token_type", "tokenizer.ggml.scores"]) {
    const v = meta.get(key);
    if (v && (v.type !== "array" || v.value.length < tokens.length)) throw invalid(`GGUF "${key}" must be an array with one entry per token (${tokens.length})`);
  }
  for (const key of ["bos", "eos", "unknown", "padding", "seperator", "eot"].map((k) => `tokenizer.ggml.${k}_token_id`)) {
    const id = uint32(meta, key, false);
    if (id !== undefined && id >= tokens.length) throw invalid(`GGUF "${key}" = ${id} is outside the vocabulary of ${tokens.length} tokens`);
  }
  return tokens.length;
}

export interface LlamaShapes {
  vocabSize: number;
  embeddingLength: number;
  blockCount: number;
  headCount: number;
  headCountKv: number;
  feedForwardLength: number;
  keyLength: number;
  valueLength: number;
}

export function llamaShapes(meta: GgufMetadata): LlamaShapes {
  checkArchitecture(meta);
  for (const key of requiredUint32) uint32(meta, key, true);
  float32(meta, "llama.attention.layer_norm_rms_epsilon", true);
  float32(meta, "llama.rope.freq_base", false);
  const vocabSize = checkTokenizer(meta);
  const embeddingLength = uint32(meta, "llama.embedding_length", true)!;
  const headCount = uint32(meta, "llama.attention.head_count", true)!;
  const headCountKv = uint32(meta, "llama.attention.head_count_kv", false) ?? headCount;
  if (headCountKv === 0 || headCount % headCountKv !== 0) throw invalid(`GGUF head_count ${headCount} is not a multiple of head_count_kv ${headCountKv}`);
  const keyLength = uint32(meta, "llama.attention.key_length", false) ?? embeddingLength / headCount;
  const valueLength = uint32(meta, "llama.attention.value_length", false) ?? keyLength;
  if (!Number.isInteger(keyLength)) throw invalid(`GGUF embedding_length ${embeddingLength} is not a multiple of head_count ${headCount}`);
  return {
    vocabSize, embeddingLength, headCount, headCountKv, keyLength, valueLength,
    blockCount: uint32(meta, "llama.block_count", true)!,
    feedForwardLength: uint32(meta, "llama.feed_forward_length", true)!,
  };
}

/** Expected tensors (ggml order: fastest dimension first); output.weight is optional (tied). */
export function expectedTensorShapes(s: LlamaShapes): Map<string, number[]> {
  const C = s.embeddingLength, V = s.vocabSize, F = s.feedForwardLength;
  const shapes = new Map<string, number[]>([["token_embd.weight", [C, V]], ["output_norm.weight", [C]]]);
  for (let i = 0; i < s.blockCount; i++) {
    const b = `blk.${i}.`;
    shapes.set(`${b}attn_norm.weight`, [C]);
    shapes.set(`${b}attn_q.weight`, [C, s.headCount * s.keyLength]);
    shapes.set(`${b}attn_k.weight`, [C, s.headCountKv * s.keyLength]);
    shapes.set(`${b}attn_v.weight`, [C, s.headCountKv * s.valueLength]);
    shapes.set(`${b}attn_output.weight`, [s.headCount * s.valueLength, C]);
    shapes.set(`${b}ffn_norm.weight`, [C]);
    shapes.set(`${b}ffn_gate.weight`, [C, F]);
    shapes.set(`${b}ffn_up.weight`, [C, F]);
    shapes.set(`${b}ffn_down.weight`, [F, C]);
  }
  return shapes;
}

function sameShape(a: number[], b: number[]): boolean {
  // ggml ignores trailing dimensions of 1.
  const trim = (s: number[]) => { const t = [...s]; while (t.length > 1 && t[t.length - 1] === 1) t.pop(); return t; };
  const x = trim(a), y = trim(b);
  return x.length === y.length && x.every((n, i) => n === y[i]);
}

/** Full check of a llama-architecture header against the file size; returns the shapes. */
export function checkLlamaHeader(header: GgufHeader, fileSize: number): LlamaShapes {
  const shapes = llamaShapes(header.metadata);
  const byName = new Map<string, GgufTensorInfo>(header.tensors.map((t) => [t.name, t]));
  for (const [name, shape] of expectedTensorShapes(shapes)) {
    const t = byName.get(name);
    if (!t) throw invalid(`GGUF tensor "${name}" is missing; the file is incomplete`);
    if (!sameShape(t.shape, shape)) throw invalid(`GGUF tensor "${name}" has shape [${t.shape.join(", ")}], expected [${shape.join(", ")}] from the hyper-parameters`);
  }
  const output = byName.get("output.weight");
  if (output && !sameShape(output.shape, [shapes.embeddingLength, shapes.vocabSize])) {
    throw invalid(`GGUF tensor "output.weight" has shape [${output.shape.join(", ")}], expected [${shapes.embeddingLength}, ${shapes.vocabSize}]`);
  }
  for (const t of header.tensors) {
    if (t.offset + t.byteLength > fileSize) {
      throw new EngineError("GGUF_TRUNCATED", `GGUF tensor "${t.name}" ends at byte ${t.offset + t.byteLength} but the file has ${fileSize} bytes; the file is truncated (download or export it again)`);
    }
  }
  return shapes;
}
