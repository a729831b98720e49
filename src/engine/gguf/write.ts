// Writing GGUF version 3 files (little-endian): metadata of every scalar type and arrays of them,
// tensors as F32, F16 or Q8_0 (quantize.ts). Tensor data is aligned to general.alignment (default 32).
import { open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { EngineError } from "../errors.js";
import { GGUF_DEFAULT_ALIGNMENT, GGUF_MAGIC, tensorByteLength, tensorTypes, valueTypeIds, type GgmlTypeName, type GgufScalarTypeName } from "./constants.js";
import { floatToHalf } from "./half.js";
import { quantizeQ8_0 } from "./quantize.js";
import type { GgufScalar, GgufValue } from "./metadata.js";

export interface GgufTensorInput {
  name: string;
  /** ggml order: fastest-varying dimension first ([in, out] for a row-major (out, in) matrix). */
  shape: number[];
  /** Q8_0 quantises each run of 32 values, so the first dimension must be a multiple of 32. */
  type: "F32" | "F16" | "Q8_0";
  data: ArrayLike<number>;
}

/** Tensor data already encoded (e.g. copied from another file, or a quantised type). */
export interface GgufRawTensorInput {
  name: string;
  shape: number[];
  type: GgmlTypeName;
  bytes: Uint8Array;
}

export interface GgufContents {
  metadata: Iterable<[string, GgufValue]>;
  tensors: (GgufTensorInput | GgufRawTensorInput)[];
}

/** Appends little-endian values to a growing list of chunks. */
class ByteWriter {
  private chunks: Buffer[] = [];
  length = 0;

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  private fixed(size: number, write: (b: Buffer) => void): void {
    const b = Buffer.alloc(size);
    write(b);
    this.push(b);
  }

  u32(v: number): void { this.fixed(4, (b) => b.writeUInt32LE(v)); }
  u64(v: number | bigint): void { this.fixed(8, (b) => b.writeBigUInt64LE(BigInt(v))); }
  string(s: string): void {
    const bytes = Buffer.from(s, "utf8");
    this.u64(bytes.length);
    this.push(bytes);
  }

  scalar(type: GgufScalarTypeName, v: GgufScalar): void {
    switch (type) {
      case "uint8": return this.fixed(1, (b) => b.writeUInt8(v as number));
      case "int8": return this.fixed(1, (b) => b.writeInt8(v as number));
      case "uint16": return this.fixed(2, (b) => b.writeUInt16LE(v as number));
      case "int16": return this.fixed(2, (b) => b.writeInt16LE(v as number));
      case "uint32": return this.u32(v as number);
      case "int32": return this.fixed(4, (b) => b.writeInt32LE(v as number));
      case "float32": return this.fixed(4, (b) => b.writeFloatLE(v as number));
      case "float64": return this.fixed(8, (b) => b.writeDoubleLE(v as number));
      case "uint64": return this.u64(v as bigint);
      case "int64": return this.fixed(8, (b) => b.writeBigInt64LE(BigInt(v as bigint)));
      case "bool": return this.fixed(1, (b) => b.writeUInt8(v ? 1 : 0));
      case "string": return this.string(v as string);
    }
  }

  pad(alignment: number): void {
    const rest = this.length % alignment;
    if (rest) this.push(Buffer.alloc(alignment - rest));
  }

  concat(): Buffer {
    return Buffer.concat(this.chunks, this.length);
  }
}

function tensorBytes(t: GgufTensorInput | GgufRawTensorInput): Buffer {
  const elements = t.shape.reduce((a, b) => a * b, 1);
  if ("bytes" in t) {
    if (t.bytes.length !== tensorByteLength(t.type, elements)) {
      throw new EngineError("ENGINE_INVALID_ARGUMENT", `tensor "${t.name}" has ${t.bytes.length} bytes but a ${t.type} tensor of shape [${t.shape.join(", ")}] takes ${tensorByteLength(t.type, elements)}`);
    }
    return Buffer.from(t.bytes.buffer, t.bytes.byteOffset, t.bytes.length);
  }
  if (t.data.length !== elements) {
    throw new EngineError("ENGINE_INVALID_ARGUMENT", `tensor "${t.name}" has ${t.data.length} values but shape [${t.shape.join(", ")}] needs ${elements}`);
  }
  if (t.type === "Q8_0") {
    // A block must not straddle two rows: llama.cpp reads a row as whole blocks.
    if (t.shape[0]! % tensorTypes.Q8_0.blockSize !== 0) {
      throw new EngineError("ENGINE_INVALID_ARGUMENT", `tensor "${t.name}" cannot be Q8_0: its rows of ${t.shape[0]} values are not a multiple of ${tensorTypes.Q8_0.blockSize}`);
    }
    const bytes = quantizeQ8_0(t.data);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  }
  const out = Buffer.alloc(tensorByteLength(t.type, elements));
  if (t.type === "F32") for (let i = 0; i < elements; i++) out.writeFloatLE(t.data[i]!, 4 * i);
  else for (let i = 0; i < elements; i++) out.writeUInt16LE(floatToHalf(t.data[i]!), 2 * i);
  return out;
}

export function encodeGguf(contents: GgufContents): Buffer {
  const metadata = [...contents.metadata];
  const alignmentValue = metadata.find(([key]) => key === "general.alignment")?.[1];
  const alignment = alignmentValue?.type === "uint32" ? alignmentValue.value : GGUF_DEFAULT_ALIGNMENT;
  const out = new ByteWriter();
  out.u32(GGUF_MAGIC);
  out.u32(3);
  out.u64(contents.tensors.length);
  out.u64(metadata.length);
  for (const [key, value] of metadata) {
    out.string(key);
    out.u32(valueTypeIds[value.type]);
    if (value.type === "array") {
      out.u32(valueTypeIds[value.itemType]);
      out.u64(value.value.length);
      for (const item of value.value) out.scalar(value.itemType, item);
    } else {
      out.scalar(value.type, value.value);
    }
  }
  const data = contents.tensors.map(tensorBytes);
  let offset = 0;
  contents.tensors.forEach((t, i) => {
    out.string(t.name);
    out.u32(t.shape.length);
    for (const n of t.shape) out.u64(n);
    out.u32(tensorTypes[t.type].id);
    out.u64(offset);
    offset += Math.ceil(data[i]!.length / alignment) * alignment;
  });
  out.pad(alignment);
  for (const bytes of data) {
    out.push(bytes);
    out.pad(alignment);
  }
  return out.concat();
}

export async function writeGgufFile(path: string, contents: GgufContents): Promise<void> {
  await replaceFileAtomically(path, encodeGguf(contents));
}

let temporaryCounter = 0;

/**
 * Writes `bytes` to a temporary file beside `path`, fsyncs it and renames it over `path`, so a crash
 * never leaves half a model or checkpoint and never destroys the previous one. It replaces an existing
 * file: callers that must not (a user's --out) check first. The engine imports nothing of the project
 * but the random and errors leaves, so it keeps this small copy of the files leaf's writer.
 */
export async function replaceFileAtomically(path: string, bytes: Uint8Array): Promise<void> {
  temporaryCounter += 1;
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${temporaryCounter}.tmp`);
  const file = await open(temporary, "wx", 0o644);
  try {
    await file.writeFile(bytes);
    await file.sync();
    await file.close();
    await rename(temporary, path);
  } catch (error) {
    await file.close().catch(() => undefined);
    await rm(temporary, { force: true });
    throw error;
  }
}
