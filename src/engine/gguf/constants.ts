// GGUF constants, after the GGUF specification (ggml docs/gguf.md).
export const GGUF_MAGIC = 0x46554747; // "GGUF" read as a little-endian uint32
export const GGUF_DEFAULT_ALIGNMENT = 32;
export const GGUF_MAX_DIMS = 4;

/** Metadata value types, by their numeric id in the file. */
export const valueTypeIds = {
  uint8: 0,
  int8: 1,
  uint16: 2,
  int16: 3,
  uint32: 4,
  int32: 5,
  float32: 6,
  bool: 7,
  string: 8,
  array: 9,
  uint64: 10,
  int64: 11,
  float64: 12,
} as const;

export type GgufValueTypeName = keyof typeof valueTypeIds;
export type GgufScalarTypeName = Exclude<GgufValueTypeName, "array">;

export const valueTypeNames: GgufValueTypeName[] = Object.keys(valueTypeIds) as GgufValueTypeName[];

/** Tensor element types we read (ggml_type ids), with their block layout. */
export const tensorTypes = {
  F32: { id: 0, blockSize: 1, blockBytes: 4 },
  F16: { id: 1, blockSize: 1, blockBytes: 2 },
  Q8_0: { id: 8, blockSize: 32, blockBytes: 34 }, // f16 scale + 32 int8
  BF16: { id: 30, blockSize: 1, blockBytes: 2 },
} as const;

export type GgmlTypeName = keyof typeof tensorTypes;

/** Names of ggml types we recognise but do not read, for clearer errors. */
export const knownUnsupportedTypes: Record<number, string> = {
  2: "Q4_0", 3: "Q4_1", 6: "Q5_0", 7: "Q5_1", 9: "Q8_1", 10: "Q2_K", 11: "Q3_K", 12: "Q4_K",
  13: "Q5_K", 14: "Q6_K", 15: "Q8_K", 16: "IQ2_XXS", 17: "IQ2_XS", 18: "IQ3_XXS", 19: "IQ1_S",
  20: "IQ4_NL", 21: "IQ3_S", 22: "IQ2_S", 23: "IQ4_XS", 24: "I8", 25: "I16", 26: "I32", 27: "I64",
  28: "F64", 29: "IQ1_M", 34: "TQ1_0", 35: "TQ2_0", 39: "MXFP4",
};

export function tensorTypeById(id: number): GgmlTypeName | undefined {
  for (const [name, info] of Object.entries(tensorTypes)) if (info.id === id) return name as GgmlTypeName;
  return undefined;
}

/** Bytes taken by `elements` values of a type (elements must be a multiple of the block size). */
export function tensorByteLength(type: GgmlTypeName, elements: number): number {
  const { blockSize, blockBytes } = tensorTypes[type];
  return (elements / blockSize) * blockBytes;
}
