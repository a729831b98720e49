// The gradient file of a defence: g, the proxy's loss gradient on held-out teacher answers, flat in
// the engine's parameter order. Layout (little-endian, llm.c checkpoint style):
//   "PDAG" · u32 version · u32 header bytes · header JSON (padded to 4 bytes) · f32[count]
// The header repeats the proxy's shape and tokenizer so a file moved next to another proxy is refused.
import { readFileSync } from "node:fs";
import { writeOutputFile } from "../files/index.js";
import type { LlamaConfig } from "../engine/index.js";
import { DefendError } from "./errors.js";

export const GRADIENT_MAGIC = "PDAG";
export const GRADIENT_VERSION = 1;

export interface GradientHeader {
  count: number;
  config: LlamaConfig;
  tokenizer: string;
  /** Euclidean norm of g. */
  norm: number;
  examples: number;
  targetTokens: number;
  meanLoss: number;
}

export function encodeGradientFile(header: GradientHeader, gradient: Float32Array): Uint8Array {
  if (gradient.length !== header.count) throw new DefendError("DEFENCE_INVALID", `gradient has ${gradient.length} values, header says ${header.count}`);
  const json = Buffer.from(JSON.stringify(header), "utf8");
  const padded = Math.ceil(json.length / 4) * 4;
  const out = new Uint8Array(12 + padded + gradient.length * 4);
  const view = new DataView(out.buffer);
  out.set(Buffer.from(GRADIENT_MAGIC, "ascii"), 0);
  view.setUint32(4, GRADIENT_VERSION, true);
  view.setUint32(8, padded, true);
  out.set(json, 12);
  out.fill(0x20, 12 + json.length, 12 + padded);
  for (let i = 0; i < gradient.length; i++) view.setFloat32(12 + padded + i * 4, gradient[i]!, true);
  return out;
}

export function decodeGradientFile(bytes: Uint8Array, path = "gradient file"): { header: GradientHeader; gradient: Float32Array } {
  if (bytes.length < 12 || Buffer.from(bytes.subarray(0, 4)).toString("ascii") !== GRADIENT_MAGIC) {
    throw new DefendError("DEFENCE_BAD_MAGIC", `${path} is not a defence gradient file (no ${GRADIENT_MAGIC} header); run 'pedigree defend prepare' again`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== GRADIENT_VERSION) {
    throw new DefendError("DEFENCE_BAD_VERSION", `${path} has format version ${version}; this build reads version ${GRADIENT_VERSION}`);
  }
  const headerBytes = view.getUint32(8, true);
  let header: GradientHeader;
  try {
    header = JSON.parse(Buffer.from(bytes.subarray(12, 12 + headerBytes)).toString("utf8")) as GradientHeader;
  } catch {
    throw new DefendError("DEFENCE_INVALID", `${path} has an unreadable header; run 'pedigree defend prepare' again`);
  }
  const start = 12 + headerBytes;
  if (!Number.isInteger(header.count) || bytes.length !== start + header.count * 4) {
    throw new DefendError("DEFENCE_INVALID", `${path} is truncated or padded: ${bytes.length - start} data bytes for ${header.count} values`);
  }
  const gradient = new Float32Array(header.count);
  for (let i = 0; i < header.count; i++) gradient[i] = view.getFloat32(start + i * 4, true);
  return { header, gradient };
}

export function writeGradientFile(path: string, header: GradientHeader, gradient: Float32Array, options: { force?: boolean } = {}): void {
  writeOutputFile(path, encodeGradientFile(header, gradient), options);
}

export function readGradientFile(path: string): { header: GradientHeader; gradient: Float32Array } {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new DefendError("DEFENCE_NOT_FOUND", `cannot read ${path}: ${(error as Error).message}; run 'pedigree defend prepare' to create it`, { cause: error });
  }
  return decodeGradientFile(bytes, path);
}
