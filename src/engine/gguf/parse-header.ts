// Parses a GGUF header (version 2 or 3, little-endian): metadata key/values and tensor infos.
// Layout (ggml docs/gguf.md): magic u32 | version u32 | tensor_count u64 | kv_count u64 |
// kv pairs | tensor infos (name, n_dims u32, dims u64[n_dims], type u32, offset u64) |
// padding to general.alignment | tensor data.
import { EngineError } from "../errors.js";
import { ByteCursor, OutOfBytes } from "./byte-cursor.js";
import {
  GGUF_DEFAULT_ALIGNMENT, GGUF_MAGIC, GGUF_MAX_DIMS, knownUnsupportedTypes, tensorByteLength, tensorTypeById,
  tensorTypes, valueTypeNames, type GgmlTypeName, type GgufScalarTypeName,
} from "./constants.js";
import type { GgufMetadata, GgufScalar, GgufValue } from "./metadata.js";

export interface GgufTensorInfo {
  name: string;
  /** ggml order: fastest-varying dimension first. A 2-D [in, out] tensor is a row-major (out, in) matrix. */
  shape: number[];
  type: GgmlTypeName;
  /** Absolute byte offset of the tensor's data in the file. */
  offset: number;
  byteLength: number;
  elements: number;
}

export interface GgufHeader {
  version: number;
  alignment: number;
  metadata: GgufMetadata;
  tensors: GgufTensorInfo[];
  /** Where the tensor data section starts. */
  dataOffset: number;
}

const invalid = (message: string) => new EngineError("GGUF_INVALID", message);

function readScalar(cursor: ByteCursor, type: GgufScalarTypeName): GgufScalar {
  switch (type) {
    case "uint8": return cursor.u8();
    case "int8": return cursor.i8();
    case "uint16": return cursor.u16();
    case "int16": return cursor.i16();
    case "uint32": return cursor.u32();
    case "int32": return cursor.i32();
    case "float32": return cursor.f32();
    case "float64": return cursor.f64();
    case "uint64": return cursor.u64();
    case "int64": return cursor.i64();
    case "bool": {
      const b = cursor.u8();
      if (b > 1) throw invalid(`a GGUF bool holds ${b}; the file is corrupt`);
      return b === 1;
    }
    case "string": return cursor.string();
  }
}

function valueType(cursor: ByteCursor, key: string) {
  const id = cursor.u32();
  const name = valueTypeNames[id];
  if (name === undefined) throw invalid(`GGUF metadata "${key}" has unknown value type ${id}; the file is corrupt`);
  return name;
}

function readValue(cursor: ByteCursor, key: string): GgufValue {
  const type = valueType(cursor, key);
  if (type !== "array") return { type, value: readScalar(cursor, type) } as GgufValue;
  const itemType = valueType(cursor, key);
  if (itemType === "array") throw new EngineError("GGUF_UNSUPPORTED", `GGUF metadata "${key}" is a nested array, which is not supported`);
  const count = cursor.size();
  // Each item takes at least one byte: a count beyond the file size means truncation.
  if (count > cursor.fileSize) throw new OutOfBytes(Number.POSITIVE_INFINITY);
  const value: GgufScalar[] = new Array(count);
  for (let i = 0; i < count; i++) value[i] = readScalar(cursor, itemType);
  return { type: "array", itemType, value };
}

function readTensorInfo(cursor: ByteCursor) {
  const name = cursor.string();
  const dims = cursor.u32();
  if (dims < 1 || dims > GGUF_MAX_DIMS) throw invalid(`GGUF tensor "${name}" has ${dims} dimensions (1 to ${GGUF_MAX_DIMS} allowed)`);
  const shape: number[] = [];
  for (let d = 0; d < dims; d++) shape.push(cursor.size());
  const typeId = cursor.u32();
  const offset = cursor.size();
  const type = tensorTypeById(typeId);
  if (!type) {
    const known = knownUnsupportedTypes[typeId];
    throw new EngineError("GGUF_UNSUPPORTED", `GGUF tensor "${name}" has type ${known ?? `#${typeId}`}; supported types are F32, F16, BF16 and Q8_0 (re-quantise the model with one of them)`);
  }
  const elements = shape.reduce((a, b) => a * b, 1);
  if (!Number.isSafeInteger(elements) || shape.some((n) => !Number.isSafeInteger(n) || n < 0)) throw invalid(`GGUF tensor "${name}" has an impossible shape [${shape.join(", ")}]`);
  if (shape[0]! % tensorTypes[type].blockSize !== 0) throw invalid(`GGUF tensor "${name}" (${type}) has a first dimension ${shape[0]} that is not a multiple of ${tensorTypes[type].blockSize}`);
  return { name, shape, type, relativeOffset: offset, elements, byteLength: tensorByteLength(type, elements) };
}

/** Parses the header from the first bytes of a file. Throws OutOfBytes when more bytes are needed. */
export function parseGgufHeader(bytes: Buffer, fileSize = bytes.length): GgufHeader {
  const cursor = new ByteCursor(bytes, fileSize);
  const magic = cursor.u32();
  if (magic !== GGUF_MAGIC) {
    const shown = bytes.subarray(0, 4).toString("latin1").replace(/[^\x20-\x7e]/g, "?");
    throw new EngineError("GGUF_BAD_MAGIC", `not a GGUF file: it starts with "${shown}" instead of "GGUF"; check the path`);
  }
  const version = cursor.u32();
  if (version !== 2 && version !== 3) throw unsupportedVersion(version);
  const tensorCount = cursor.size();
  const kvCount = cursor.size();
  if (tensorCount > fileSize || kvCount > fileSize) throw new OutOfBytes(Number.POSITIVE_INFINITY);
  if (tensorCount > 1e7 || kvCount > 1e7) throw invalid(`GGUF header claims ${tensorCount} tensors and ${kvCount} metadata keys; the file is corrupt`);
  const metadata: GgufMetadata = new Map();
  for (let i = 0; i < kvCount; i++) {
    const key = cursor.string();
    if (metadata.has(key)) throw invalid(`GGUF metadata key "${key}" appears twice`);
    metadata.set(key, readValue(cursor, key));
  }
  const alignment = alignmentOf(metadata);
  const infos = [];
  const names = new Set<string>();
  for (let i = 0; i < tensorCount; i++) {
    const info = readTensorInfo(cursor);
    if (names.has(info.name)) throw invalid(`GGUF tensor "${info.name}" appears twice`);
    names.add(info.name);
    if (info.relativeOffset % alignment !== 0) throw invalid(`GGUF tensor "${info.name}" starts at offset ${info.relativeOffset}, not a multiple of the alignment ${alignment}`);
    infos.push(info);
  }
  const dataOffset = Math.ceil(cursor.position / alignment) * alignment;
  const tensors = infos.map(({ relativeOffset, ...rest }) => ({ ...rest, offset: dataOffset + relativeOffset }));
  return { version, alignment, metadata, tensors, dataOffset };
}

/** Names the likely cause: a big-endian v2/v3 file reads as 0x02000000 or 0x03000000; anything else is v1 or damage. */
function unsupportedVersion(version: number): EngineError {
  const swapped = ((version & 0xff) << 24 | (version & 0xff00) << 8 | (version >>> 8) & 0xff00 | version >>> 24) >>> 0;
  if (swapped === 2 || swapped === 3) {
    return new EngineError("GGUF_UNSUPPORTED", `this GGUF file is big-endian (version ${swapped} in big-endian byte order); only little-endian files are supported: convert it to little-endian`);
  }
  if (version === 1) return new EngineError("GGUF_UNSUPPORTED", "GGUF version 1 is obsolete and not supported; re-convert the model to version 3");
  if (version === 0 || version > 0xffff) {
    return invalid(`the file starts with "GGUF" but its version field reads ${version}, which no GGUF writer produces; the file is corrupt or not a GGUF model`);
  }
  return new EngineError("GGUF_UNSUPPORTED", `GGUF version ${version} is not supported; versions 2 and 3 are (re-convert the model with a current converter)`);
}

function alignmentOf(metadata: GgufMetadata): number {
  const v = metadata.get("general.alignment");
  if (!v) return GGUF_DEFAULT_ALIGNMENT;
  if (v.type !== "uint32" || v.value === 0 || (v.value & (v.value - 1)) !== 0) {
    throw invalid(`GGUF "general.alignment" must be a uint32 power of two, got ${String(v.value)}`);
  }
  return v.value;
}
