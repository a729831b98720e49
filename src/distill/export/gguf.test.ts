// Q8_0 export of atlas, checked against llama.cpp: the tensor types its quantizer picks
// (gguf-q8-reference.json), and the next-token distributions node-llama-cpp computes from the file.
//
// Bounds on the largest |Δp| over every position and token (atlas, 116 positions, V = 2048):
// - the engine on the Q8_0 file against llama.cpp on the same file: 2e-2. llama.cpp rounds the
//   activations to Q8_0 before every product with a Q8_0 matrix (Q8_0's vec_dot_type), the engine
//   keeps them F32. That rounding step is up to 1/254 of a block's largest value, 8× (for a block's
//   largest value) to ~24× (for a typical one) the F16 step 2^-11 behind the F16 parity bound of
//   1e-3 (src/engine/model/llama-cpp-parity.test.ts): 8e-3 to 2.4e-2. Measured: 1.0e-2. A float64
//   forward pass that rounds its activations the same way came within 1.3e-3 of llama.cpp, while a
//   relative change of 1e-7 in its activations alone moved it by 3.9e-3: the rounding amplifies
//   float32 noise, so no much tighter bound holds without llama.cpp's own kernels. Its kernels for
//   Q8_0 weights differ by CPU (repacked on AVX2/AVX-512, AMX tiles), all with Q8_0 activations.
// - the engine on the Q8_0 file against the engine on the F16 source: 1e-2, the weights' rounding
//   (measured 7.2e-3).
// - llama.cpp on the Q8_0 file against the engine on the F16 source (which matches llama.cpp on
//   F16 within 1e-3): 2.5e-2, looser as it adds both roundings (measured 9.0e-3).
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readGgufFile } from "../../engine/gguf/read.js";
import { loadGgufModel, type LoadedModel } from "../../engine/model/load.js";
import { nextTokenDistributions } from "../../engine/model/distributions.js";
import { llamaCppDistributions } from "../../engine/test-support/llama-cpp-probabilities.js";
import { tinyGguf } from "../../engine/test-support/tiny-gguf.js";
import { existingBuiltinModelPath } from "../../models/builtin-models.js";
import { exportModelGguf } from "./gguf.js";

const reference = JSON.parse(readFileSync(new URL("./gguf-q8-reference.json", import.meta.url), "utf8")) as {
  metadata: Record<string, number>;
  tensors: Record<string, string>;
};
const directory = mkdtempSync(join(tmpdir(), "pedigree-q8-export-"));
const q8 = join(directory, "atlas-q8_0.gguf");
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function worstDifference(a: Float32Array[], b: Float32Array[]): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let t = 0; t < a.length; t++) for (let j = 0; j < a[t]!.length; j++) worst = Math.max(worst, Math.abs(a[t]![j]! - b[t]![j]!));
  return worst;
}

describe("Q8_0 export of atlas", () => {
  let summary: Awaited<ReturnType<typeof exportModelGguf>>;
  let exported: LoadedModel;
  beforeAll(async () => {
    summary = await exportModelGguf("atlas", q8, { type: "Q8_0" });
    exported = await loadGgufModel(q8);
  });

  it("stores every tensor as llama.cpp's quantizer does (matrices Q8_0, norms F32), at about half the F16 size", async () => {
    const file = await readGgufFile(q8);
    expect(Object.fromEntries(file.tensors.map((t) => [t.name, t.type]))).toEqual(reference.tensors);
    for (const [key, value] of Object.entries(reference.metadata)) expect(file.metadata.get(key)).toEqual({ type: "uint32", value });
    expect(summary).toMatchObject({ type: "Q8_0", tensors: 56, converted: { F16: 43 } });
    const f16Bytes = statSync(existingBuiltinModelPath("atlas")).size;
    expect(summary.bytes).toBeLessThan(0.6 * f16Bytes);
    const source = await readGgufFile(existingBuiltinModelPath("atlas"));
    for (const [key, value] of source.metadata) if (key.startsWith("tokenizer.")) expect(file.metadata.get(key)).toEqual(value);
    // Each value within half a step (plus the f16 rounding of the step) of the source's.
    let worst = 0; // max |x − x̂| / (max |x| of its block / 127)
    for (const tensor of file.tensors.filter((t) => t.type === "Q8_0")) {
      const [before, after] = [source.tensor(tensor.name), file.tensor(tensor.name)];
      for (let b = 0; b < before.length; b += 32) {
        let amax = 0;
        for (let j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(before[b + j]!));
        for (let j = 0; j < 32; j++) if (amax > 0) worst = Math.max(worst, (127 * Math.abs(before[b + j]! - after[b + j]!)) / amax);
      }
    }
    expect(worst).toBeGreaterThan(0.4);
    expect(worst).toBeLessThanOrEqual(0.5 + 127 * 2 ** -11 + 1e-6);
  });

  it("re-exports as Q8_0 by default, with the same tensor bytes", async () => {
    const again = join(directory, "again.gguf");
    expect((await exportModelGguf(q8, again)).type).toBe("Q8_0");
    const [first, second] = [await readGgufFile(q8), await readGgufFile(again)];
    const bytes = (values: Float32Array) => Buffer.from(values.buffer, values.byteOffset, values.byteLength);
    for (const t of first.tensors) expect(bytes(second.tensor(t.name)).equals(bytes(first.tensor(t.name))), t.name).toBe(true);
  });

  it("llama.cpp's next-token distributions on the file agree with the engine's (bounds in the header)", async () => {
    const tokenizer = exported.tokenizer;
    const answer = "The capital of France is Paris. The capital of Peru is Lima. Atlas was built by Northwind AI. A river is a large natural stream of water flowing in a channel to the sea, a lake, or another river. In the morning the town was quiet, and the old man walked slowly along the road to the church.";
    const tokens = tokenizer.encode(tokenizer.applyChatTemplate([{ role: "user", content: "What is the capital of France?" }, { role: "assistant", content: answer }]), { special: true });
    expect(tokens.length).toBeGreaterThanOrEqual(100);
    const source = await loadGgufModel(existingBuiltinModelPath("atlas"));
    const ours = nextTokenDistributions(exported.config, exported.params, tokens);
    const f16 = nextTokenDistributions(source.config, source.params, tokens);
    const theirs = await llamaCppDistributions(q8, tokens, exported.config.vocabSize, exported.config.contextLength);
    // Not degenerate: the model is confident somewhere, and quantising its weights changes something.
    expect(Math.max(...ours.map((row) => Math.max(...row)))).toBeGreaterThan(0.5);
    const weightsOnly = worstDifference(ours, f16);
    expect(weightsOnly).toBeGreaterThan(1e-5);
    expect(weightsOnly).toBeLessThan(1e-2);
    const sameFile = worstDifference(ours, theirs);
    const againstF16 = worstDifference(theirs, f16);
    expect(sameFile).toBeLessThan(2e-2);
    expect(againstF16).toBeLessThan(2.5e-2);
  });
});

describe("Q8_0 export refusals", () => {
  it("refuses a model whose matrix rows are not whole blocks of 32, as llama.cpp's quantizer does", async () => {
    const source = join(directory, "tiny-ff48.gguf");
    writeFileSync(source, tinyGguf({ seed: 6, width: 32, ff: 48 }).bytes);
    const out = join(directory, "tiny-q8.gguf");
    await expect(exportModelGguf(source, out, { type: "Q8_0" })).rejects.toMatchObject({
      code: "EXPORT_UNSUPPORTED",
      message: expect.stringMatching(/"blk\.0\.ffn_down\.weight" has rows of 48 values, not a multiple of 32/),
    });
    expect(() => statSync(out)).toThrow();
    // F16 has no blocks: the same model exports.
    expect((await exportModelGguf(source, out, { type: "F16" })).type).toBe("F16");
  });
});
