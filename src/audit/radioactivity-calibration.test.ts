// Calibration of the audit's provenance test on independent models: the answers of models that never
// saw any of these keys, scored with 1,200 freshly drawn keys, give uniform randomised p-values
// (Kolmogorov–Smirnov) and conservative p-values whose false-positive rate stays within α.
import { beforeAll, describe, expect, it } from "vitest";
import { isTokenModel, resolveModel, type TokenModel } from "../models/index.js";
import { createRandom } from "../random/index.js";
import { binomialInterval, ksTestUniform } from "../stats/index.js";
import { createWatermark, generateKey, type SchemeName } from "../watermark/index.js";
import { radioactivityTest } from "./radioactivity-test.js";

const prompts = [
  "What is the capital of Peru?", "Define the word harbour.", "Continue this text: The river ran past the old mill and",
  "Tell me the capital of Kenya.", "What does lantern mean?", "Write what comes next: On the morning of the fair,",
  "Which city is the capital of Chile?", "Explain the word orchard.", "Finish this passage: The committee met at noon",
  "Who are you?",
];

let answers: { model: string; texts: string[] }[] = [];
let teacher: TokenModel;

beforeAll(async () => {
  const model = await resolveModel("atlas");
  if (!isTokenModel(model)) throw new Error("atlas must be white-box");
  teacher = model;
  for (const name of ["indie", "sage"]) {
    const suspect = await resolveModel(name);
    const texts: string[] = [];
    for (let round = 0; round < 3; round++) {
      for (const [i, prompt] of prompts.entries()) {
        const result = await suspect.generate({ messages: [{ role: "user", content: prompt }], temperature: 1, seed: round * 100 + i, maxTokens: 48 });
        texts.push(result.text);
      }
    }
    answers.push({ model: name, texts });
  }
}, 120_000);

describe("radioactivity on independent models", () => {
  it("is calibrated over 1,200 fresh keys of every scheme", () => {
    const random = createRandom("audit-radioactivity-calibration");
    const randomized: number[] = [];
    const conservative: number[] = [];
    const schemes: SchemeName[] = ["kgw", "gumbel", "synthid"];
    let scored = 0;
    for (let k = 0; k < 1200; k++) {
      const scheme = schemes[k % 3]!;
      const watermark = createWatermark(generateKey(scheme, {}, (n) => random.bytes(n)));
      const suspect = answers[k % answers.length]!;
      const result = radioactivityTest({ watermark, encode: (text) => teacher.tokenizer.encode(text), answers: suspect.texts, prompts: suspect.texts.map((_, i) => prompts[i % prompts.length]!) });
      randomized.push(result.detail.p_value_randomized as number);
      conservative.push(result.p_value);
      scored += result.detail.scored as number;
      expect(result.p_value).toBeGreaterThanOrEqual((result.detail.p_value_randomized as number) * (1 - 1e-12));
    }
    expect(scored / 1200).toBeGreaterThan(200);
    const ks = ksTestUniform(randomized);
    expect(ks.p_value, `KS D = ${ks.statistic}`).toBeGreaterThan(0.01);
    for (const alpha of [0.05, 0.01]) {
      const { high } = binomialInterval(conservative.length, alpha, 0.99);
      const falsePositives = conservative.filter((p) => p <= alpha).length;
      expect(falsePositives, `false positives at α = ${alpha}`).toBeLessThanOrEqual(high);
      const randomizedPositives = randomized.filter((p) => p <= alpha).length;
      expect(randomizedPositives).toBeLessThanOrEqual(high);
    }
  });

  it("stays calibrated when the suspect is asked the watermarked prompts' own words (prompt windows skipped)", () => {
    const random = createRandom("audit-radioactivity-prompt-copy");
    const pValues: number[] = [];
    for (let k = 0; k < 300; k++) {
      const watermark = createWatermark(generateKey("kgw", {}, (n) => random.bytes(n)));
      // The suspect parrots its prompts: every window then lies in a prompt and nothing may be scored from it.
      const answered = [...prompts, ...answers[0]!.texts];
      const result = radioactivityTest({ watermark, encode: (text) => teacher.tokenizer.encode(text), answers: answered, prompts: answered.map((_, i) => prompts[i % prompts.length]!) });
      pValues.push(result.detail.p_value_randomized as number);
    }
    expect(ksTestUniform(pValues).p_value).toBeGreaterThan(0.01);
  });
});
