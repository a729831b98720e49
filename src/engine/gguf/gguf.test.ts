import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EngineError } from "../errors.js";
import {
  encodeGguf, gguf, halfToFloat, floatToHalf, llamaHyperParameters, parseGguf, validateGgufFile,
  type GgufContents, type GgufValue,
} from "./index.js";

const C = 8, V = 5, F = 16, L = 1;

/** A minimal valid llama GGUF with counting-pattern weights. */
function llamaContents(overrides: Record<string, GgufValue | null> = {}): GgufContents {
  const metadata = new Map<string, GgufValue>([
    ["general.architecture", gguf.str("llama")],
    ["llama.context_length", gguf.u32(64)],
    ["llama.embedding_length", gguf.u32(C)],
    ["llama.block_count", gguf.u32(L)],
    ["llama.feed_forward_length", gguf.u32(F)],
    ["llama.attention.head_count", gguf.u32(2)],
    ["llama.attention.head_count_kv", gguf.u32(1)],
    ["llama.attention.layer_norm_rms_epsilon", gguf.f32(1e-5)],
    ["tokenizer.ggml.model", gguf.str("gpt2")],
    ["tokenizer.ggml.tokens", gguf.strings(["a", "b", "c", "ab", "abc"])],
    ["tokenizer.ggml.merges", gguf.strings(["a b", "ab c"])],
  ]);
  for (const [key, value] of Object.entries(overrides)) {
    if (value === null) metadata.delete(key);
    else metadata.set(key, value);
  }
  const tensor = (name: string, shape: number[]) => {
    const n = shape.reduce((a, b) => a * b, 1);
    return { name, shape, type: "F32" as const, data: Float32Array.from({ length: n }, (_, i) => (i % 7) / 8 - 0.25) };
  };
  const kv = C / 2;
  return {
    metadata,
    tensors: [
      tensor("token_embd.weight", [C, V]), tensor("output_norm.weight", [C]),
      tensor("blk.0.attn_norm.weight", [C]), tensor("blk.0.attn_q.weight", [C, C]), tensor("blk.0.attn_k.weight", [C, kv]),
      tensor("blk.0.attn_v.weight", [C, kv]), tensor("blk.0.attn_output.weight", [C, C]), tensor("blk.0.ffn_norm.weight", [C]),
      tensor("blk.0.ffn_gate.weight", [C, F]), tensor("blk.0.ffn_up.weight", [C, F]), tensor("blk.0.ffn_down.weight", [F, C]),
    ],
  };
}

function expectCode(run: () => unknown, code: string): EngineError {
  try {
    run();
  } catch (error) {
    expect(EngineError.isInstance(error)).toBe(true);
    expect((error as EngineError).code).toBe(code);
    return error as EngineError;
  }
  throw new Error(`expected ${code}`);
}

describe("half precision", () => {
  it("round-trips every finite half exactly", () => {
    for (let h = 0; h < 0x10000; h++) {
      const x = halfToFloat(h);
      if (Number.isNaN(x)) continue;
      const back = floatToHalf(x);
      expect(back === h || (x === 0 && (back & 0x7fff) === 0)).toBe(true);
    }
  });
  it("rounds to nearest even", () => {
    expect(halfToFloat(floatToHalf(1 + 2 ** -11))).toBe(1); // halfway: stays even
    expect(halfToFloat(floatToHalf(1 + 3 * 2 ** -11))).toBe(1 + 2 ** -9);
    expect(halfToFloat(floatToHalf(70000))).toBe(Infinity);
    expect(halfToFloat(floatToHalf(2 ** -25 * 1.5))).toBe(2 ** -24);
  });
});

describe("GGUF write and read", () => {
  it("round-trips metadata of every type and F32/F16 tensors", () => {
    const contents = llamaContents({
      "general.alignment": gguf.u32(64),
      "test.u8": { type: "uint8", value: 200 }, "test.i8": { type: "int8", value: -100 },
      "test.u16": { type: "uint16", value: 60000 }, "test.i16": { type: "int16", value: -30000 },
      "test.i32": gguf.i32(-5), "test.f64": { type: "float64", value: Math.PI },
      "test.u64": gguf.u64(2n ** 60n), "test.i64": { type: "int64", value: -(2n ** 62n) },
      "test.bool": gguf.bool(true), "test.unicode": gguf.str("héllo ✓ 𝄞"),
      "test.bools": { type: "array", itemType: "bool", value: [true, false] },
      "test.i32s": gguf.i32s([1, -2, 3]),
    });
    contents.tensors[1] = { ...contents.tensors[1]!, type: "F16" } as (typeof contents.tensors)[number];
    const file = parseGguf(encodeGguf(contents));
    expect(file.version).toBe(3);
    expect(file.alignment).toBe(64);
    for (const [key, value] of contents.metadata) {
      const expected = value.type === "float32" ? { ...value, value: Math.fround(value.value) } : value;
      expect(file.metadata.get(key)).toEqual(expected);
    }
    for (const t of file.tensors) expect(t.offset % 64).toBe(0);
    const embd = file.tensor("token_embd.weight");
    expect(Array.from(embd)).toEqual(Array.from((contents.tensors[0] as unknown as { data: Float32Array }).data));
    expect(file.tensorInfo("output_norm.weight")?.type).toBe("F16");
    expect(Array.from(file.tensor("output_norm.weight"))).toEqual(Array.from((contents.tensors[1] as unknown as { data: Float32Array }).data));
    expect(llamaHyperParameters(file.metadata)).toMatchObject({ vocabSize: V, embeddingLength: C, headCountKv: 1, headDim: 4, ropeBase: 10000 });
  });

  it("dequantises BF16 and Q8_0", () => {
    const contents = llamaContents();
    const bf16 = Buffer.alloc(2 * C);
    for (let i = 0; i < C; i++) bf16.writeUInt16LE(0x3f80 + i * 0x10, 2 * i); // 1, 1.125, ...
    const q8 = Buffer.alloc(34 * ((C * V) / 32 + 1)); // C·V = 40 is not a multiple of 32: use [32, 2]
    contents.tensors[1] = { name: "output_norm.weight", shape: [C], type: "BF16", bytes: bf16 };
    contents.tensors.push({ name: "extra.q8", shape: [32, 2], type: "Q8_0", bytes: q8.subarray(0, 68) });
    q8.writeUInt16LE(floatToHalf(0.5), 0);
    for (let j = 0; j < 32; j++) q8.writeInt8(j - 16, 2 + j);
    q8.writeUInt16LE(floatToHalf(-2), 34);
    for (let j = 0; j < 32; j++) q8.writeInt8(127 - j, 36 + j);
    const file = parseGguf(encodeGguf(contents));
    expect(Array.from(file.tensor("output_norm.weight"))).toEqual(Array.from({ length: C }, (_, i) => 1 + i * 0.125));
    const q = file.tensor("extra.q8");
    expect(q[0]).toBe(-8);
    expect(q[31]).toBe(7.5);
    expect(q[32]).toBe(-254);
  });
});

describe("GGUF validation", () => {
  const good = encodeGguf(llamaContents());

  it("rejects a wrong magic number", () => {
    const bad = Buffer.from(good);
    bad.write("GGML", 0, "latin1");
    expect(expectCode(() => parseGguf(bad), "GGUF_BAD_MAGIC").message).toContain('"GGML"');
  });
  it("rejects truncation anywhere: header, metadata, tensor data", () => {
    for (const cut of [0, 3, 10, 30, 200, good.length - 40, good.length - 1]) expectCode(() => parseGguf(good.subarray(0, cut)), "GGUF_TRUNCATED");
  });
  it("rejects a missing required key", () => {
    const error = expectCode(() => parseGguf(encodeGguf(llamaContents({ "llama.feed_forward_length": null }))), "GGUF_MISSING_KEY");
    expect(error.message).toContain("llama.feed_forward_length");
    expectCode(() => parseGguf(encodeGguf(llamaContents({ "tokenizer.ggml.merges": null }))), "GGUF_MISSING_KEY");
  });
  it("rejects other architectures, versions and tensor types", () => {
    expect(expectCode(() => parseGguf(encodeGguf(llamaContents({ "general.architecture": gguf.str("mamba") }))), "GGUF_UNSUPPORTED").message).toContain("mamba");
    const v9 = Buffer.from(good);
    v9.writeUInt32LE(9, 4);
    expectCode(() => parseGguf(v9), "GGUF_UNSUPPORTED");
    const contents = llamaContents();
    contents.tensors[1] = { name: "output_norm.weight", shape: [32], type: "Q8_0", bytes: Buffer.alloc(34) };
    const q4 = Buffer.from(encodeGguf(contents));
    const at = q4.indexOf("output_norm.weight") + "output_norm.weight".length + 4 + 8; // after n_dims and dims
    expect(q4.readUInt32LE(at)).toBe(8);
    q4.writeUInt32LE(2, at); // Q4_0
    expect(expectCode(() => parseGguf(q4), "GGUF_UNSUPPORTED").message).toContain("Q4_0");
  });
  it("rejects wrongly typed keys and shapes inconsistent with the hyper-parameters", () => {
    expectCode(() => parseGguf(encodeGguf(llamaContents({ "llama.block_count": gguf.i32(1) }))), "GGUF_INVALID");
    expectCode(() => parseGguf(encodeGguf(llamaContents({ "llama.feed_forward_length": gguf.u32(12) }))), "GGUF_INVALID");
    expectCode(() => parseGguf(encodeGguf(llamaContents({ "llama.block_count": gguf.u32(2) }))), "GGUF_INVALID");
    expectCode(() => parseGguf(encodeGguf(llamaContents({ "tokenizer.ggml.eos_token_id": gguf.u32(99) }))), "GGUF_INVALID");
  });
  it("names engine-unsupported llama variants", () => {
    const meta = (overrides: Record<string, GgufValue>) => parseGguf(encodeGguf(llamaContents(overrides))).metadata;
    expect(() => llamaHyperParameters(meta({ "llama.rope.dimension_count": gguf.u32(2) }))).toThrow(/partial rotary/);
    expect(() => llamaHyperParameters(meta({ "llama.rope.scaling.type": gguf.str("yarn") }))).toThrow(/RoPE scaling "yarn"/);
    expect(llamaHyperParameters(meta({ "llama.rope.freq_base": gguf.f32(50000) })).ropeBase).toBe(50000);
  });
  it("validates files from their header only", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gguf-"));
    const write = (name: string, bytes: Buffer) => { const p = join(dir, name); writeFileSync(p, bytes); return p; };
    const header = await validateGgufFile(write("good.gguf", good));
    expect(header.shapes.vocabSize).toBe(V);
    const grown = await validateGgufFile(join(dir, "good.gguf"), { initialReadBytes: 20 }); // header read in growing steps
    expect(grown.tensors).toEqual(header.tensors);
    await expect(validateGgufFile(write("cut-header.gguf", good.subarray(0, 300)), { initialReadBytes: 20 })).rejects.toMatchObject({ code: "GGUF_TRUNCATED" });
    await expect(validateGgufFile(write("cut.gguf", good.subarray(0, good.length - 8)))).rejects.toMatchObject({ code: "GGUF_TRUNCATED" });
    await expect(validateGgufFile(write("head.gguf", good.subarray(0, 100)))).rejects.toMatchObject({ code: "GGUF_TRUNCATED" });
    await expect(validateGgufFile(join(dir, "absent.gguf"))).rejects.toMatchObject({ code: "GGUF_NOT_FOUND" });
    await expect(validateGgufFile(write("empty.gguf", Buffer.alloc(0)))).rejects.toMatchObject({ code: "GGUF_TRUNCATED" });
  });
});
