// The engine's file writers replace a file through a fsynced temporary file and a rename, never by
// truncating it in place: a crash leaves the old file, and a reader holding the old file keeps it.
import { linkSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { LlamaConfig } from "../model/config.js";
import { parameterCount } from "../model/parameters.js";
import { readCheckpoint, writeCheckpoint, type Checkpoint } from "../train/checkpoint.js";
import { encodeGguf, gguf, writeGgufFile, type GgufContents } from "./index.js";

const contents = (value: number): GgufContents => ({
  metadata: [["general.architecture", gguf.str("llama")]],
  tensors: [{ name: "t", shape: [4], type: "F32", data: [value, value, value, value] }],
});

describe("atomic engine writers", () => {
  it("writeGgufFile replaces the file by rename: the old inode keeps its bytes, no temporary is left", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pedigree-gguf-write-"));
    const path = join(dir, "model.gguf");
    writeFileSync(path, encodeGguf(contents(1)));
    linkSync(path, join(dir, "old-link.gguf"));
    await writeGgufFile(path, contents(2));
    expect(readFileSync(path)).toEqual(encodeGguf(contents(2)));
    expect(readFileSync(join(dir, "old-link.gguf"))).toEqual(encodeGguf(contents(1)));
    expect(readdirSync(dir).sort()).toEqual(["model.gguf", "old-link.gguf"]);
  });

  it("two checkpoints written at once to one path do not share a temporary file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pedigree-checkpoint-write-"));
    const path = join(dir, "run.ckpt");
    const config: LlamaConfig = { vocabSize: 4, contextLength: 4, embeddingLength: 4, blockCount: 1, headCount: 1, headCountKv: 1, feedForwardLength: 4, rmsEps: 1e-5, ropeBase: 10000, tiedOutput: true };
    const n = parameterCount(config);
    const checkpoint = (step: number): Checkpoint => ({
      header: { config, step, settings: {}, tokensSeen: 0 },
      params: new Float32Array(n).fill(step), m: new Float32Array(n), v: new Float32Array(n),
    });
    await Promise.all([writeCheckpoint(path, checkpoint(1)), writeCheckpoint(path, checkpoint(2))]);
    expect([1, 2]).toContain((await readCheckpoint(path)).header.step);
    expect(readdirSync(dir)).toEqual(["run.ckpt"]);
  });
});
