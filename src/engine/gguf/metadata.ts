// Typed GGUF metadata values. Every value keeps its file type, so a file read and written back is
// unchanged, and the writer knows what to emit. 64-bit integers are bigints.
import { EngineError } from "../errors.js";
import type { GgufScalarTypeName } from "./constants.js";

export type GgufScalar = number | bigint | boolean | string;

export type GgufValue =
  | { type: "uint8" | "int8" | "uint16" | "int16" | "uint32" | "int32" | "float32" | "float64"; value: number }
  | { type: "uint64" | "int64"; value: bigint }
  | { type: "bool"; value: boolean }
  | { type: "string"; value: string }
  | { type: "array"; itemType: GgufScalarTypeName; value: GgufScalar[] };

export type GgufMetadata = Map<string, GgufValue>;

// Constructors, so writers read like the file they produce.
export const gguf = {
  u32: (value: number): GgufValue => ({ type: "uint32", value }),
  i32: (value: number): GgufValue => ({ type: "int32", value }),
  f32: (value: number): GgufValue => ({ type: "float32", value }),
  u64: (value: number | bigint): GgufValue => ({ type: "uint64", value: BigInt(value) }),
  bool: (value: boolean): GgufValue => ({ type: "bool", value }),
  str: (value: string): GgufValue => ({ type: "string", value }),
  strings: (value: string[]): GgufValue => ({ type: "array", itemType: "string", value }),
  i32s: (value: ArrayLike<number>): GgufValue => ({ type: "array", itemType: "int32", value: Array.from(value) }),
  f32s: (value: ArrayLike<number>): GgufValue => ({ type: "array", itemType: "float32", value: Array.from(value) }),
};

const integerTypes = new Set(["uint8", "int8", "uint16", "int16", "uint32", "int32", "uint64", "int64"]);

function missing(key: string): EngineError {
  return new EngineError("GGUF_MISSING_KEY", `the GGUF file has no metadata key "${key}"; re-export the model with it`);
}

function wrongType(key: string, value: GgufValue, expected: string): EngineError {
  const got = value.type === "array" ? `array of ${value.itemType}` : value.type;
  return new EngineError("GGUF_INVALID", `GGUF metadata "${key}" is ${got}, expected ${expected}; re-export the model`);
}

export function metaString(meta: GgufMetadata, key: string): string;
export function metaString(meta: GgufMetadata, key: string, fallback: string | undefined): string | undefined;
export function metaString(meta: GgufMetadata, key: string, ...fallback: [string | undefined] | []): string | undefined {
  const v = meta.get(key);
  if (!v) {
    if (fallback.length) return fallback[0];
    throw missing(key);
  }
  if (v.type !== "string") throw wrongType(key, v, "a string");
  return v.value;
}

/** An integer of any width (64-bit values must fit a double exactly). */
export function metaInteger(meta: GgufMetadata, key: string): number;
export function metaInteger(meta: GgufMetadata, key: string, fallback: number | undefined): number | undefined;
export function metaInteger(meta: GgufMetadata, key: string, ...fallback: [number | undefined] | []): number | undefined {
  const v = meta.get(key);
  if (!v) {
    if (fallback.length) return fallback[0];
    throw missing(key);
  }
  if (!integerTypes.has(v.type)) throw wrongType(key, v, "an integer");
  const n = Number(v.value);
  if (!Number.isSafeInteger(n)) throw new EngineError("GGUF_INVALID", `GGUF metadata "${key}" = ${v.value} is out of range`);
  return n;
}

export function metaFloat(meta: GgufMetadata, key: string): number;
export function metaFloat(meta: GgufMetadata, key: string, fallback: number | undefined): number | undefined;
export function metaFloat(meta: GgufMetadata, key: string, ...fallback: [number | undefined] | []): number | undefined {
  const v = meta.get(key);
  if (!v) {
    if (fallback.length) return fallback[0];
    throw missing(key);
  }
  if (v.type !== "float32" && v.type !== "float64") throw wrongType(key, v, "a float");
  return v.value;
}

export function metaArray(meta: GgufMetadata, key: string, itemType: "string"): string[];
export function metaArray(meta: GgufMetadata, key: string, itemType: "int32" | "float32"): number[];
export function metaArray(meta: GgufMetadata, key: string, itemType: GgufScalarTypeName): GgufScalar[] {
  const v = meta.get(key);
  if (!v) throw missing(key);
  if (v.type !== "array" || v.itemType !== itemType) throw wrongType(key, v, `an array of ${itemType}`);
  return v.value;
}
