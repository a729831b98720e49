// The builtin adapter: the shared TokenModel contract, the float64 reference on a GGUF fixture
// (GQA, untied output, non-default RoPE base), and clear errors for corrupt or unsupported files.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { referenceLlamaLogits, referenceSoftmax } from "../../engine/test-support/reference-llama.js";
import { tinyGguf } from "../../engine/test-support/tiny-gguf.js";
import { runChatModelSuite } from "../test-support/chat-model.case.js";
import { runTokenModelSuite } from "../test-support/token-model.case.js";
import { openEngineModel } from "./index.js";

const dir = mkdtempSync(join(tmpdir(), "pedigree-builtin-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tiny = tinyGguf({ layers: 2, width: 32, heads: 4, kvHeads: 2, ff: 64, ropeBase: 50000, tied: false, seed: 5 });
const path = join(dir, "tiny.gguf");
writeFileSync(path, tiny.bytes);

runTokenModelSuite("builtin engine", () => openEngineModel(path));
runChatModelSuite("builtin engine", { deterministic: true, create: () => openEngineModel(path) });

describe("openEngineModel", () => {
  it("reports the log-probabilities of the distribution it sampled from when processors bias it", async () => {
    const model = await openEngineModel(path);
    // A watermark-like processor: a large bias on a token chosen by the context alone.
    const bias = 30;
    const favoured = (context: ArrayLike<number>) => (context.length * 7 + 3) % 200;
    const processor = { process: (context: ArrayLike<number>, logits: Float32Array) => { logits[favoured(context)]! += bias; } };
    const messages = [{ role: "user" as const, content: "Say something." }];
    const result = await model.generate({ messages, temperature: 0, maxTokens: 12, seed: 1, topLogprobs: 3, logitsProcessors: [processor] });
    expect(result.logprobs!.length).toBeGreaterThan(0);
    // The expected figures, computed apart from the generation loop: the model's own distribution at each
    // step, the bias added in log space, renormalised.
    const prompt = model.tokenizer.encodeChat(messages, { addGenerationPrompt: true });
    const tokens = [...prompt, ...result.tokenIds!];
    const distributions = await model.nextDistributions(Int32Array.from(tokens));
    result.logprobs!.forEach((entry, step) => {
      const context = tokens.slice(0, prompt.length + step);
      const biased = Array.from(distributions[context.length - 1]!, (p, id) => Math.log(p) + (id === favoured(context) ? bias : 0));
      const normaliser = Math.log(biased.reduce((sum, value) => sum + Math.exp(value), 0));
      const expected = biased.map((value) => value - normaliser);
      const best = expected.map((_, id) => id).sort((a, b) => expected[b]! - expected[a]!).slice(0, 3);
      const token = result.tokenIds![step]!;
      expect([entry.id, token]).toEqual([favoured(context), favoured(context)]);
      expect(entry.logprob).toBeCloseTo(expected[token]!, 3);
      expect(entry.top.map((alt) => alt.id)).toEqual(best);
      entry.top.forEach((alt) => expect(alt.logprob).toBeCloseTo(expected[alt.id!]!, 3));
    });
  });

  it("gives the float64 reference's distributions within 1e-5", async () => {
    const model = await openEngineModel(path);
    const tokens = tiny.tokenizer.encode("The capital of France is Paris; 12,345 apples — ünïcode 🙂 and code: f(x) = x * 2.");
    const rows = await model.nextDistributions(Int32Array.from(tokens));
    const reference = referenceLlamaLogits(tiny.config, tiny.weights, tokens).map(referenceSoftmax);
    let worst = 0;
    rows.forEach((row, t) => row.forEach((p, j) => (worst = Math.max(worst, Math.abs(p - reference[t][j])))));
    expect(worst).toBeLessThan(1e-5);
  });

  it("rejects truncated, corrupt and unsupported files with their codes", async () => {
    const cases: [string, Buffer, RegExp][] = [
      ["truncated.gguf", tiny.bytes.subarray(0, tiny.bytes.length - 100), /GGUF_TRUNCATED/],
      ["magic.gguf", Buffer.concat([Buffer.from("GGUX"), tiny.bytes.subarray(4)]), /GGUF_BAD_MAGIC/],
      ["empty.gguf", Buffer.alloc(0), /GGUF_(TRUNCATED|BAD_MAGIC)/],
    ];
    for (const [name, bytes, code] of cases) {
      const file = join(dir, name);
      writeFileSync(file, bytes);
      await expect(openEngineModel(file)).rejects.toMatchObject({ pedigree: true, code: expect.stringMatching(code) });
    }
  });
});
