// The shared contract every watermark scheme meets (one suite, run per scheme and parameter set):
// its processor is a pure, key-bound function of the context; detection finds its own output and
// not the same output under another key, scores each n-gram once, ignores prompts, and reports a
// well-formed result. Scheme-specific behaviour (green lists, tournaments) stays in processors.test.ts.
import { describe, expect, it } from "vitest";
import { createRandom } from "../../random/index.js";
import { createWatermark, generateKey, parseKey, serializeKey, type SchemeName, type Watermark } from "../index.js";
import { BigramModel } from "../simulation/bigram-model.js";
import { generateTokens } from "../simulation/generate.js";

export interface SchemeCase {
  scheme: SchemeName;
  params?: Record<string, unknown>;
}

const VOCAB = 1000;
const model = new BigramModel({ vocab: VOCAB, seed: 21 });

export function runWatermarkSchemeSuite(label: string, { scheme, params = {} }: SchemeCase): void {
  const keyFor = (seed: string) => generateKey(scheme, params, createRandom(`${label}/${seed}`).bytes);
  const watermark = createWatermark(keyFor("main"));
  const prompt = Int32Array.from([5, 6, 7, 8, 9, 10, 11, 12]);
  const generate = (mark: Watermark | null, seed: string, length = 160) =>
    generateTokens(model, prompt, length, createRandom(`${label}/text/${seed}`), mark ? [mark.processor()] : []);

  describe(`watermark scheme contract: ${label}`, () => {
    it("processes logits as a pure function of the context, leaving the context alone", () => {
      const context = [1, 2, 3, 4, 5, 6, 7, 8, 9];
      const base = model.logits(9);
      const [a, b] = [Float32Array.from(base), Float32Array.from(base)];
      watermark.processor().process(context, a);
      createWatermark(parseKey(serializeKey(keyFor("main")))).processor().process([...context], b);
      expect(a).toEqual(b);
      expect(context).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(a.some((value) => Number.isNaN(value))).toBe(false);
      expect(a.some((value) => value > -Infinity)).toBe(true);
      const other = Float32Array.from(base);
      createWatermark(keyFor("other")).processor().process(context, other);
      expect(other).not.toEqual(a);
    });

    it("leaves a context shorter than its window untouched", () => {
      const logits = Float32Array.from({ length: 50 }, (_, i) => Math.sin(i));
      const before = Float32Array.from(logits);
      watermark.processor().process(Array.from({ length: watermark.context - 1 }, (_, i) => i + 1), logits);
      expect(logits).toEqual(before);
    });

    it("detects its own output, and neither plain text nor another key's output", () => {
      const marked = generate(watermark, "marked");
      expect(watermark.detectTokens(marked, { prompts: [prompt] }).p_value).toBeLessThan(1e-6);
      expect(watermark.detectTokens(generate(null, "plain"), { prompts: [prompt] }).p_value).toBeGreaterThan(1e-3);
      expect(createWatermark(keyFor("other")).detectTokens(marked, { prompts: [prompt] }).p_value).toBeGreaterThan(1e-3);
    });

    it("reports a well-formed, reproducible result", () => {
      const ids = generate(watermark, "shape", 80);
      const result = watermark.detectTokens(ids);
      expect(result).toEqual(watermark.detectTokens(ids));
      expect(result.scheme).toBe(scheme);
      expect(result.tokens).toBe(ids.length);
      expect(result.scored).toBeGreaterThan(0);
      expect(result.scored).toBeLessThanOrEqual(ids.length - watermark.context + 1);
      expect(result.p_value).toBeGreaterThan(0);
      expect(result.p_value).toBeLessThanOrEqual(1);
      expect(result.p_value_conservative).toBeGreaterThanOrEqual(result.p_value);
      expect(result.log10_p).toBeCloseTo(Math.log10(result.p_value), 6);
    });

    it("scores each n-gram once across sequences and nothing the prompt already holds", () => {
      const ids = generate(watermark, "once", 60);
      const single = watermark.detectTokens(ids);
      const twice = watermark.detectTokens([ids, ids]);
      expect(twice.scored).toBe(single.scored);
      expect(twice.statistic).toBe(single.statistic);
      expect(watermark.detectTokens(ids, { prompts: [ids] }).scored).toBe(0);
    });

    it("scores text through a tokenizer as it scores the token ids", () => {
      const ids = Array.from(generate(watermark, "text", 40));
      const tokenizer = { encode: (text: string) => text.split(" ").map(Number) };
      expect(watermark.detectText(ids.join(" "), tokenizer, { randomize: false })).toEqual(watermark.detectTokens(ids, { randomize: false }));
    });
  });
}
