import { describe, expect, it } from "vitest";
import { EngineError } from "../errors.js";
import { parseGgufHeader } from "./parse-header.js";

/** "GGUF" followed by the given version bytes and zero counts. */
function headerWithVersionBytes(versionBytes: number[]): Buffer {
  return Buffer.concat([Buffer.from("GGUF", "latin1"), Buffer.from(versionBytes), Buffer.alloc(16)]);
}

function errorOf(bytes: Buffer): EngineError {
  try {
    parseGgufHeader(bytes);
  } catch (error) {
    if (error instanceof EngineError) return error;
    throw error;
  }
  throw new Error("expected an EngineError");
}

describe("parseGgufHeader version field", () => {
  it("calls a file with random bytes after the magic corrupt, not big-endian", () => {
    const error = errorOf(headerWithVersionBytes([0x9c, 0x3f, 0xd1, 0x7a]));
    expect(error.code).toBe("GGUF_INVALID");
    expect(error.message).not.toContain("big-endian");
    expect(error.message).toContain("corrupt");
  });

  it("recognises a big-endian version 3 file", () => {
    const error = errorOf(headerWithVersionBytes([0, 0, 0, 3]));
    expect(error.code).toBe("GGUF_UNSUPPORTED");
    expect(error.message).toContain("big-endian");
  });

  it("names version 1 as obsolete and other small versions as unsupported", () => {
    expect(errorOf(headerWithVersionBytes([1, 0, 0, 0])).message).toContain("obsolete");
    const v9 = errorOf(headerWithVersionBytes([9, 0, 0, 0]));
    expect(v9.code).toBe("GGUF_UNSUPPORTED");
    expect(v9.message).not.toContain("big-endian");
  });
});
