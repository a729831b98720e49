// Validity under the abuse the detectors must survive: text that contains its (watermarked) prompt,
// passages repeated ten times, and the wrong key on watermarked text.
import { describe, expect, it } from "vitest";
import { createRandom, type Random } from "../random/index.js";
import { createWatermark, generateKey, type SchemeName } from "./index.js";
import { BigramModel } from "./simulation/bigram-model.js";
import { generateTokens } from "./simulation/generate.js";
import { expectValid } from "./test-support/calibration.js";
import { CachedBigramSampler } from "./test-support/fast-bigram.js";
import { nullTexts } from "./test-support/null-texts.js";

const SCHEMES: SchemeName[] = ["kgw", "gumbel", "synthid"];
const SAMPLES = 500;
const MODEL = new BigramModel({ vocab: 200, seed: 77 });
const PLAIN = new CachedBigramSampler(MODEL);

/** An unwatermarked answer that copies chunks of the prompt about half of the time. */
function copyingAnswer(prompt: Int32Array, length: number, rng: Random): number[] {
  const answer: number[] = [];
  while (answer.length < length) {
    if (rng.uniform53() < 0.5) {
      const size = 4 + rng.int(8);
      const start = rng.int(Math.max(1, prompt.length - size));
      answer.push(...prompt.slice(start, start + size));
    } else {
      answer.push(...PLAIN.sequence(answer.at(-1) ?? 0, 4 + rng.int(8), rng));
    }
  }
  return answer.slice(0, length);
}

describe("detectors stay valid on adversarial null text", () => {
  for (const scheme of SCHEMES) {
    it(`${scheme}: text scored with its own watermarked prompt`, () => {
      const rng = createRandom(`prompt/${scheme}`);
      const withPrompt: number[] = [];
      const naive: number[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        const watermark = createWatermark(generateKey(scheme, {}, (n) => rng.bytes(n)));
        const prompt = generateTokens(MODEL, [rng.int(200)], 60, rng, [watermark.processor()]);
        const text = [...prompt, ...copyingAnswer(prompt, 80, rng)];
        withPrompt.push(watermark.detectTokens(text, { prompts: [prompt] }).p_value);
        naive.push(watermark.detectTokens(text).p_value);
      }
      expectValid(withPrompt, `${scheme} with prompt skipped`);
      // Without the prompt rule the watermarked prompt inside the text is detected (not a null).
      expect(naive.filter((p) => p <= 0.01).length).toBeGreaterThan(SAMPLES / 2);
    });
  }

  for (const scheme of SCHEMES) {
    it(`${scheme}: a passage repeated ten times`, () => {
      const rng = createRandom(`repeat/${scheme}`);
      const passages = nullTexts(2000, 99).map((ids) => ids.slice(0, 15 + rng.int(30)));
      const pValues = passages.map((passage) => {
        const text: number[] = [];
        for (let r = 0; r < 10; r++) text.push(...passage);
        return createWatermark(generateKey(scheme, {}, (n) => rng.bytes(n))).detectTokens(text).p_value;
      });
      expectValid(pValues, `${scheme} repeated passage`);
    });
  }

  for (const scheme of SCHEMES) {
    it(`${scheme}: the wrong key on watermarked text gives null p-values`, () => {
      const rng = createRandom(`wrong-key/${scheme}`);
      const right: number[] = [];
      const wrong: number[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        const watermark = createWatermark(generateKey(scheme, {}, (n) => rng.bytes(n)));
        const text = generateTokens(MODEL, [rng.int(200)], 60, rng, [watermark.processor()]);
        right.push(watermark.detectTokens(text).p_value);
        wrong.push(createWatermark(generateKey(scheme, {}, (n) => rng.bytes(n))).detectTokens(text).p_value);
      }
      expectValid(wrong, `${scheme} wrong key`);
      expect(right.filter((p) => p <= 0.01).length).toBeGreaterThan(0.9 * SAMPLES);
    });
  }
});
