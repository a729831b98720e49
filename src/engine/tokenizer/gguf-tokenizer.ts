// The tokenizer as GGUF metadata, in the form llama.cpp reads for tokenizer.ggml.model = "gpt2":
// tokens, merges, token types (CONTROL for specials), special ids, pre-tokeniser "gpt-2" and the
// ChatML template. Reading accepts any gpt2-model GGUF vocabulary.
import { EngineError } from "../errors.js";
import { gguf, metaArray, metaString, type GgufMetadata, type GgufValue } from "../gguf/metadata.js";
import { BpeTokenizer } from "./bpe-tokenizer.js";
import { chatmlJinja, IM_END } from "./chat-template.js";

export function tokenizerMetadata(tokenizer: BpeTokenizer): [string, GgufValue][] {
  const { tokens, merges, tokenTypes } = tokenizer.vocabulary;
  const entries: [string, GgufValue][] = [
    ["tokenizer.ggml.model", gguf.str("gpt2")],
    ["tokenizer.ggml.pre", gguf.str("gpt-2")],
    ["tokenizer.ggml.tokens", gguf.strings(tokens)],
    ["tokenizer.ggml.token_type", gguf.i32s(tokenTypes ?? tokens.map(() => 1))],
    ["tokenizer.ggml.merges", gguf.strings(merges)],
    // GPT-2 style: no BOS is prepended, and the bos id names <|endoftext|> as GPT-2 does.
    ["tokenizer.ggml.bos_token_id", gguf.u32(tokenizer.bosId ?? tokenizer.eosId)],
    ["tokenizer.ggml.eos_token_id", gguf.u32(tokenizer.eosId)],
    ["tokenizer.ggml.padding_token_id", gguf.u32(tokenizer.eosId)],
    ["tokenizer.ggml.add_bos_token", gguf.bool(tokenizer.bosId !== null)],
    ["tokenizer.ggml.add_eos_token", gguf.bool(false)],
    ["tokenizer.chat_template", gguf.str(chatmlJinja)],
  ];
  const eot = tokenizer.stopIds.find((id) => id !== tokenizer.eosId);
  if (eot !== undefined) entries.push(["tokenizer.ggml.eot_token_id", gguf.u32(eot)]);
  return entries;
}

function optionalId(meta: GgufMetadata, key: string): number | undefined {
  const v = meta.get(key);
  return v && (v.type === "uint32" || v.type === "int32") && v.value >= 0 ? v.value : undefined;
}

export function tokenizerFromGguf(meta: GgufMetadata): BpeTokenizer {
  const model = metaString(meta, "tokenizer.ggml.model");
  if (model !== "gpt2") {
    throw new EngineError("GGUF_UNSUPPORTED", `tokenizer "${model}" is not supported by the built-in engine (only byte-level BPE "gpt2"); run the model with llamacpp:PATH`);
  }
  const pre = metaString(meta, "tokenizer.ggml.pre", "default");
  if (pre !== "gpt-2") {
    throw new EngineError("GGUF_UNSUPPORTED", `pre-tokeniser "${pre}" is not supported by the built-in engine (only "gpt-2"); run the model with llamacpp:PATH`);
  }
  const tokens = metaArray(meta, "tokenizer.ggml.tokens", "string");
  const merges = metaArray(meta, "tokenizer.ggml.merges", "string");
  const typeValue = meta.get("tokenizer.ggml.token_type");
  const tokenTypes = typeValue?.type === "array" ? (typeValue.value as number[]) : undefined;
  const eosId = optionalId(meta, "tokenizer.ggml.eos_token_id");
  if (eosId === undefined) throw new EngineError("GGUF_MISSING_KEY", `the GGUF file has no "tokenizer.ggml.eos_token_id"; re-export the model with it`);
  const addBos = meta.get("tokenizer.ggml.add_bos_token");
  const bosId = addBos?.type === "bool" && addBos.value ? optionalId(meta, "tokenizer.ggml.bos_token_id") ?? null : null;
  const endOfTurn = [optionalId(meta, "tokenizer.ggml.eot_token_id"), tokens.indexOf(IM_END)].filter((id): id is number => id !== undefined && id >= 0);
  return new BpeTokenizer({ tokens, merges, tokenTypes, eosId, bosId, endOfTurnIds: [...new Set(endOfTurn)] });
}
