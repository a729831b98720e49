// The hard negative of provenance: a suspect that learned from the same data as the teacher, so it
// writes what the teacher writes, but never saw the teacher's watermarked outputs. Here the teacher
// and the mimic are the same seeded bigram model; the gateway's answers are the teacher's watermarked
// samples, and the exchange log's filter φ selects which of the mimic's windows are scored. Over 1,000
// fresh keys per setting the p-values stay uniform and the false-positive rate within α, with and
// without φ, at the default context (1) and the story's (2), even on repetitive low-entropy text.
import { describe, expect, it } from "vitest";
import { createRandom } from "../random/index.js";
import { binomialInterval } from "../stats/index.js";
import { BigramModel } from "../watermark/simulation/bigram-model.js";
import { generateTokens } from "../watermark/simulation/generate.js";
import { createWatermark, generateKey } from "../watermark/index.js";
import { radioactivityTest } from "./radioactivity-test.js";

// Token ids travel as one character each, so the audit's text-based test sees exactly these ids.
const toText = (ids: ArrayLike<number>) => String.fromCharCode(...Array.from(ids, (id) => 0x4e00 + id));
const encode = (text: string) => Array.from(text, (c) => c.charCodeAt(0) - 0x4e00);

const settings = [
  { label: "default key (context 1, δ 2), varied text", context: 1, delta: 2, model: { vocab: 120, seed: 3, zipf: 1.6, noise: 2 } },
  { label: "story key (context 2, δ 3), repetitive text", context: 2, delta: 3, model: { vocab: 60, seed: 4, zipf: 3.5, noise: 1 } },
];

describe("radioactivity on suspects that mimic the teacher without its outputs", () => {
  for (const setting of settings) {
    it(setting.label, () => {
      const model = new BigramModel(setting.model);
      const random = createRandom(`mimic/${setting.label}`);
      const filtered: number[] = [];
      const plain: number[] = [];
      for (let k = 0; k < 1000; k++) {
        const watermark = createWatermark(generateKey("kgw", { context: setting.context, delta: setting.delta }, (n) => random.bytes(n)));
        const prompts = Array.from({ length: 12 }, (_, i) => [i % model.vocab]);
        const served = prompts.map((prompt) => toText(generateTokens(model, prompt, 30, random, [watermark.processor()])));
        const answers = prompts.map((prompt) => toText(generateTokens(model, prompt, 30, random)));
        const promptTexts = prompts.map(toText);
        filtered.push(radioactivityTest({ watermark, encode, answers, prompts: promptTexts, served }).p_value);
        plain.push(radioactivityTest({ watermark, encode, answers, prompts: promptTexts }).p_value);
      }
      for (const [name, pValues] of [["with φ", filtered], ["without φ", plain]] as const) {
        for (const alpha of [0.01, 0.05]) {
          const { high } = binomialInterval(pValues.length, alpha, 0.99);
          expect(pValues.filter((p) => p <= alpha).length, `${name}: false positives at α = ${alpha}`).toBeLessThanOrEqual(high);
        }
        // Conservative p-values of a discrete statistic sit above the uniform, never below it.
        const below = pValues.filter((p) => p <= 0.2).length;
        expect(below, `${name}: share of p <= 0.2`).toBeLessThanOrEqual(binomialInterval(pValues.length, 0.2, 0.99).high);
      }
    }, 120_000);
  }
});
