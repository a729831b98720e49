// Radioactivity: a student trained on watermarked teacher outputs carries the watermark; a baseline
// trained on plain outputs does not, in both the closed-model and the reading (open-model) setting.
import { describe, expect, it } from "vitest";
import { createRandom } from "../random/index.js";
import { createWatermark, generateKey, radioactivityClosedModel, radioactivityOpenModel } from "./index.js";
import { BigramModel } from "./simulation/bigram-model.js";
import { generateTokens } from "./simulation/generate.js";
import { expectValid } from "./test-support/calibration.js";
import { CachedBigramSampler } from "./test-support/fast-bigram.js";
import { CountBigram } from "./test-support/count-bigram.js";

const VOCAB = 300;
const TEACHER = new BigramModel({ vocab: VOCAB, seed: 31 });
// Sander et al. watermark their released data with a short window and a strong bias.
const PARAMS = { hashing: "lefthash" as const, context: 1, gamma: 0.25, delta: 3 };

describe("radioactivity", () => {
  const rng = createRandom("radioactivity");
  const watermark = createWatermark(generateKey("kgw", PARAMS, (n) => rng.bytes(n)));
  const trainingData = Array.from({ length: 300 }, () => generateTokens(TEACHER, [rng.int(VOCAB)], 100, rng, [watermark.processor()]));
  const plainSampler = new CachedBigramSampler(TEACHER);
  const plainData = Array.from({ length: 300 }, () => plainSampler.sequence(rng.int(VOCAB), 100, rng));
  const student = new CountBigram(VOCAB, trainingData);
  const baseline = new CountBigram(VOCAB, plainData);
  // Prompts are slices of the watermarked data, as when a distiller reuses our answers as prompts.
  const prompts = trainingData.slice(0, 100).map((ids) => ids.slice(0, 30));

  it("closed model: the student's answers are radioactive, the baseline's are not", () => {
    const answers = (model: CountBigram) => prompts.map((prompt) => model.generate(prompt[prompt.length - 1], 60, rng));
    const studentResult = radioactivityClosedModel(watermark, answers(student), { prompts });
    const baselineResult = radioactivityClosedModel(watermark, answers(baseline), { prompts });
    expect(studentResult.log10_p).toBeLessThan(-5);
    expect(baselineResult.p_value).toBeGreaterThan(1e-3);
    const filtered = radioactivityClosedModel(watermark, answers(student), { prompts, filterTexts: trainingData });
    expect(filtered.scored).toBeLessThanOrEqual(studentResult.scored + 6000);
    expect(filtered.log10_p).toBeLessThan(-5);
  });

  it("open model: reading mode finds the watermark in the student only", async () => {
    const texts = Array.from({ length: 40 }, () => generateTokens(TEACHER, [rng.int(VOCAB)], 80, rng, [watermark.processor()]));
    const studentResult = await radioactivityOpenModel(watermark, student, texts);
    const baselineResult = await radioactivityOpenModel(watermark, baseline, texts);
    expect(studentResult.log10_p).toBeLessThan(-5);
    expect(baselineResult.p_value).toBeGreaterThan(1e-3);
  });

  it("reading mode is valid for an unrelated model on watermarked text (random keys)", async () => {
    const pValues: number[] = [];
    for (let i = 0; i < 200; i++) {
      const key = createWatermark(generateKey("kgw", PARAMS, (n) => rng.bytes(n)));
      const texts = Array.from({ length: 4 }, () => generateTokens(TEACHER, [rng.int(VOCAB)], 40, rng, [key.processor()]));
      pValues.push((await radioactivityOpenModel(key, baseline, texts)).p_value);
    }
    expectValid(pValues, "reading mode, baseline", 0.05);
  });
});
