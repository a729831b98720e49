// Training checkpoints: parameters plus AdamW moments and the step, so that a run resumes exactly.
// Layout (little-endian, llm.c-style header): magic "PDGCKPT\0" (8 bytes), u32 version, u32 length
// of a UTF-8 JSON header, the header, zero padding to a multiple of 4, then float32 params, m, v.
import { readFile } from "node:fs/promises";
import { EngineError } from "../errors.js";
import { replaceFileAtomically } from "../gguf/write.js";
import type { LlamaConfig } from "../model/config.js";
import { parameterCount } from "../model/parameters.js";

const MAGIC = Buffer.from("PDGCKPT\0", "latin1");
export const CHECKPOINT_VERSION = 1;

export interface CheckpointHeader {
  config: LlamaConfig;
  /** updates done */
  step: number;
  /** settings a resumed run must share (seed, batch shape, schedule, loss…) */
  settings: Record<string, unknown>;
  tokensSeen: number;
}

export interface Checkpoint {
  header: CheckpointHeader;
  params: Float32Array;
  m: Float32Array;
  v: Float32Array;
}

export async function writeCheckpoint(path: string, checkpoint: Checkpoint): Promise<void> {
  const json = Buffer.from(JSON.stringify(checkpoint.header), "utf8");
  const head = Buffer.alloc(16);
  MAGIC.copy(head, 0);
  head.writeUInt32LE(CHECKPOINT_VERSION, 8);
  head.writeUInt32LE(json.length, 12);
  const pad = Buffer.alloc((4 - ((16 + json.length) % 4)) % 4);
  const body = [checkpoint.params, checkpoint.m, checkpoint.v].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  // A unique temporary file, fsynced, then renamed: an interrupted write never replaces a good checkpoint.
  await replaceFileAtomically(path, Buffer.concat([head, json, pad, ...body]));
}

export async function readCheckpoint(path: string): Promise<Checkpoint> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new EngineError("CHECKPOINT_INVALID", `cannot read checkpoint ${path}: ${(error as Error).message}`, { cause: error });
  }
  const bad = (why: string) => new EngineError("CHECKPOINT_INVALID", `${path} is not a usable checkpoint: ${why}; start without --resume or point at another file`);
  if (bytes.length < 16 || !bytes.subarray(0, 8).equals(MAGIC)) throw bad("wrong magic number");
  const version = bytes.readUInt32LE(8);
  if (version !== CHECKPOINT_VERSION) throw bad(`version ${version}, this build reads version ${CHECKPOINT_VERSION}`);
  const jsonLength = bytes.readUInt32LE(12);
  if (16 + jsonLength > bytes.length) throw bad("truncated header");
  let header: CheckpointHeader;
  try {
    header = JSON.parse(bytes.subarray(16, 16 + jsonLength).toString("utf8")) as CheckpointHeader;
  } catch {
    throw bad("unreadable header");
  }
  const n = parameterCount(header.config);
  const start = 16 + jsonLength + ((4 - ((16 + jsonLength) % 4)) % 4);
  if (bytes.length !== start + 3 * n * 4) throw bad(`expected ${3 * n} float32 values after the header, the file is truncated or damaged`);
  const floats = new Float32Array(3 * n);
  new Uint8Array(floats.buffer).set(bytes.subarray(start, start + 3 * n * 4));
  return { header, params: floats.subarray(0, n), m: floats.subarray(n, 2 * n), v: floats.subarray(2 * n) };
}
