// Broken GGUF files of the kinds that abort llama.cpp or confuse readers: each case names the error
// code a reader must give instead.
import { encodeGguf, gguf, parseGguf, type GgufValue } from "../gguf/index.js";
import { tinyGguf } from "./tiny-gguf.js";

export function brokenGgufCases(): [name: string, bytes: Buffer, code: string][] {
  const good = tinyGguf({ layers: 1, width: 16, heads: 2, ff: 32 });
  const file = parseGguf(good.bytes);
  const rewrite = (change: (meta: Map<string, GgufValue>) => void) => {
    const metadata = new Map(file.metadata);
    change(metadata);
    const tensors = file.tensors.map((t) => ({ name: t.name, shape: t.shape, type: t.type, bytes: good.bytes.subarray(t.offset, t.offset + t.byteLength) }));
    return encodeGguf({ metadata, tensors });
  };
  return [
    ["truncated", good.bytes.subarray(0, good.bytes.length - 100), "GGUF_TRUNCATED"],
    ["missing feed_forward_length", rewrite((m) => m.delete("llama.feed_forward_length")), "GGUF_MISSING_KEY"],
    ["missing head_count", rewrite((m) => m.delete("llama.attention.head_count")), "GGUF_MISSING_KEY"],
    ["wrong magic", Buffer.concat([Buffer.from("GGUX"), good.bytes.subarray(4)]), "GGUF_BAD_MAGIC"],
    ["unknown architecture", rewrite((m) => m.set("general.architecture", gguf.str("gpt-neox"))), "GGUF_UNSUPPORTED"],
  ];
}
