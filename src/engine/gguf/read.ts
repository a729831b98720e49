// Reading GGUF files. `validateGgufFile` reads only as much of the file as the header needs (cheap:
// used before handing a file to llama.cpp, which aborts the process on some malformed files);
// `readGgufFile` loads everything and dequantises tensors to Float32Array on demand.
import { open, readFile, stat } from "node:fs/promises";
import { EngineError } from "../errors.js";
import { OutOfBytes } from "./byte-cursor.js";
import { dequantize } from "./dequantize.js";
import { checkLlamaHeader, type LlamaShapes } from "./llama-checks.js";
import { parseGgufHeader, type GgufHeader, type GgufTensorInfo } from "./parse-header.js";

export interface ValidatedGguf extends GgufHeader {
  fileSize: number;
  shapes: LlamaShapes;
}

export interface GgufFile extends ValidatedGguf {
  /** The tensor's values as float32, in ggml order (row-major (out, in) for a 2-D [in, out] tensor). */
  tensor(name: string): Float32Array;
  tensorInfo(name: string): GgufTensorInfo | undefined;
}

function truncated(fileSize: number): EngineError {
  return new EngineError("GGUF_TRUNCATED", `the GGUF header runs past the end of the file (${fileSize} bytes); the file is truncated (download or export it again)`);
}

/** Header parse that maps running out of bytes to GGUF_TRUNCATED when the whole file was given. */
function parseComplete(bytes: Buffer, fileSize: number): GgufHeader {
  try {
    return parseGgufHeader(bytes, fileSize);
  } catch (error) {
    if (error instanceof OutOfBytes) throw truncated(fileSize);
    throw error;
  }
}

function notReadable(path: string, error: unknown): EngineError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : (error as Error).message;
  return new EngineError("GGUF_NOT_FOUND", `cannot read GGUF file ${path}: ${reason}`, { cause: error });
}

/** Parses and checks an in-memory GGUF file (llama architecture). */
export function parseGguf(bytes: Buffer): GgufFile {
  const header = parseComplete(bytes, bytes.length);
  const shapes = checkLlamaHeader(header, bytes.length);
  const byName = new Map(header.tensors.map((t) => [t.name, t]));
  return {
    ...header,
    fileSize: bytes.length,
    shapes,
    tensorInfo: (name) => byName.get(name),
    tensor(name) {
      const info = byName.get(name);
      if (!info) throw new EngineError("GGUF_INVALID", `the GGUF file has no tensor "${name}"`);
      return dequantize(bytes, info.offset, info.type, info.elements);
    },
  };
}

export async function readGgufFile(path: string): Promise<GgufFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw notReadable(path, error);
  }
  return parseGguf(bytes);
}

/**
 * Reads the header only (growing the read until it fits) and checks it; never loads tensor data.
 * @param options.initialReadBytes size of the first read (default 1 MiB)
 */
export async function validateGgufFile(path: string, options: { initialReadBytes?: number } = {}): Promise<ValidatedGguf> {
  let handle;
  let fileSize: number;
  try {
    fileSize = (await stat(path)).size;
    handle = await open(path, "r");
  } catch (error) {
    throw notReadable(path, error);
  }
  try {
    let length = Math.min(fileSize, Math.max(16, options.initialReadBytes ?? 1 << 20));
    for (;;) {
      const bytes = Buffer.alloc(length);
      const { bytesRead } = await handle.read(bytes, 0, length, 0);
      try {
        const header = parseGgufHeader(bytes.subarray(0, bytesRead), fileSize);
        return { ...header, fileSize, shapes: checkLlamaHeader(header, fileSize) };
      } catch (error) {
        if (!(error instanceof OutOfBytes)) throw error;
        if (bytesRead >= fileSize || error.needed > fileSize) throw truncated(fileSize);
        length = Math.min(fileSize, Math.max(length * 4, error.needed));
      }
    }
  } finally {
    await handle.close();
  }
}
