import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EngineError } from "../../engine/errors.js";
import { referenceLlamaLogits, referenceSoftmax } from "../../engine/test-support/reference-llama.js";
import { tinyGguf, type TinyGgufOptions } from "../../engine/test-support/tiny-gguf.js";
import { brokenGgufCases } from "../../engine/test-support/broken-gguf.js";
import type { TokenModel } from "../spec.js";
import { runTokenModelSuite } from "../test-support/token-model.case.js";
import { openLlamaCppModel } from "./index.js";

const dir = mkdtempSync(join(tmpdir(), "llama-cpp-"));

function fixture(name: string, options: TinyGgufOptions) {
  const tiny = tinyGguf(options);
  const path = join(dir, name);
  writeFileSync(path, tiny.bytes);
  return { ...tiny, path };
}

const text =
  "The capital of France is Paris. function f(x) { return x * 2; } Ünïcödé 日本語 🙂 — and 12,345 apples, " +
  "quick brown foxes jump over lazy dogs while the <|im_start|> token stays plain text here.";

// Bounds on the largest probability error against the float64 reference. Attention is F32 (see
// exact-attention.ts), so an F32 file is off only by F32 rounding; for F16 weights llama.cpp rounds
// the activations to F16 before every matrix product, which alone moves probabilities by ~6e-4 here.
describe.each([
  ["GQA, untied output, RoPE base 50000, F32", { layers: 2, width: 32, heads: 4, kvHeads: 2, ff: 64, ropeBase: 50000, tied: false, seed: 3 }, 1e-5],
  ["tied output, F16 matrices", { layers: 2, width: 32, heads: 4, ff: 48, tied: true, type: "F16", seed: 4 }, 1e-3],
] as [string, TinyGgufOptions, number][])("llama.cpp next-token distributions: %s", (label, options, bound) => {
  const tiny = fixture(`${label.replace(/\W+/g, "-")}.gguf`, options);
  let model: TokenModel;
  beforeAll(async () => {
    model = await openLlamaCppModel(tiny.path, { contextSize: 256 });
  });
  afterAll(async () => model?.close?.());

  async function worstError(scored: TokenModel): Promise<number> {
    const tokens = scored.tokenizer.encode(text);
    expect(tokens).toEqual(tiny.tokenizer.encode(text));
    expect(tokens.length).toBeGreaterThanOrEqual(100);
    const rows = await scored.nextDistributions(Int32Array.from(tokens));
    const reference = referenceLlamaLogits(tiny.config, tiny.weights, tokens).map(referenceSoftmax);
    // The fixture must not be degenerate: distributions far from uniform and varying by position.
    expect(Math.max(...reference[5]!)).toBeGreaterThan(5 / tiny.config.vocabSize);
    let worst = 0;
    rows.forEach((row, t) => {
      expect(row.length).toBe(tiny.config.vocabSize);
      for (let v = 0; v < row.length; v++) worst = Math.max(worst, Math.abs(row[v]! - reference[t]![v]!));
    });
    return worst;
  }

  it(`agree with the float64 reference within ${bound} at every position`, async () => {
    expect(await worstError(model)).toBeLessThan(bound);
  });

  // Batches shorter than 64 tokens send llama.cpp's default flash attention to its F16 one-row
  // kernel on every CPU, as a head size of 8 does on AVX-512 at any batch length: this is the
  // kernel an AVX2 machine otherwise never runs on these fixtures.
  it(`agree within ${bound} in batches of 16 tokens too`, async () => {
    const short = await openLlamaCppModel(tiny.path, { contextSize: 256, batchSize: 16 });
    try {
      expect(await worstError(short)).toBeLessThan(bound);
    } finally {
      await short.close?.();
    }
  });

  it("scores generated tokens incrementally exactly as one batch does", async () => {
    const messages = [{ role: "user" as const, content: "Name a capital." }];
    const result = await model.generate({ messages, maxTokens: 6, temperature: 0.8, seed: 1, logprobs: true, topLogprobs: 3 });
    const prompt = model.tokenizer.encodeChat(messages, { addGenerationPrompt: true });
    const generated = result.tokenIds!;
    expect(generated.length).toBeGreaterThan(0);
    const rows = await model.nextDistributions(Int32Array.from([...prompt, ...generated]));
    generated.forEach((token, i) => {
      const logprob = result.logprobs![i]!;
      expect(logprob.id).toBe(token);
      expect(logprob.top).toHaveLength(3);
      expect(Math.abs(Math.exp(logprob.logprob) - rows[prompt.length - 1 + i]![token]!)).toBeLessThan(1e-4);
    });
  });
});

describe("llama-cpp generation", () => {
  const tiny = fixture("gen.gguf", { seed: 9 });
  let model: TokenModel;
  beforeAll(async () => {
    model = await openLlamaCppModel(tiny.path, { contextSize: 128 });
  });
  afterAll(async () => model?.close?.());

  it("is reproducible with a seed and varies across seeds", async () => {
    const request = { messages: [{ role: "user" as const, content: "Say something" }], maxTokens: 12, temperature: 1, seed: 5 };
    const a = await model.generate(request);
    const b = await model.generate(request);
    const c = await model.generate({ ...request, seed: 6 });
    expect(b.tokenIds).toEqual(a.tokenIds);
    expect(c.tokenIds).not.toEqual(a.tokenIds);
    expect(a.usage.promptTokens).toBe(model.tokenizer.encodeChat(request.messages, { addGenerationPrompt: true }).length);
  });
  it("knows ChatML's end of turn", () => {
    const imEnd = tiny.tokenizer.idOf("<|im_end|>")!;
    expect(model.tokenizer.stopIds).toContain(imEnd);
    expect(model.tokenizer.stopIds).toContain(tiny.tokenizer.eosId);
    expect(model.tokenizer.encodeChat([{ role: "user", content: "Hi" }])).toEqual(tiny.tokenizer.encodeChat([{ role: "user", content: "Hi" }]));
  });
});

describe("bad GGUF files give a clear error instead of aborting", () => {
  const cases = brokenGgufCases();
  it.each(cases)("%s", async (name, bytes, code) => {
    const path = join(dir, `bad-${name.replace(/\W+/g, "-")}.gguf`);
    writeFileSync(path, bytes);
    const error = await openLlamaCppModel(path).catch((e: unknown) => e);
    // The engine's error, passed through with the file's name: the engine owns the GGUF_* codes.
    expect(EngineError.isInstance(error)).toBe(true);
    expect((error as EngineError).code).toBe(code);
    expect((error as EngineError).message).toContain(path);
    expect((error as EngineError).message).not.toContain("\n");
  });
});

runTokenModelSuite("llama-cpp", () => openLlamaCppModel(fixture("contract.gguf", { seed: 2 }).path, { contextSize: 128 }));
