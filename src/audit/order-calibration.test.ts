// Calibration of the training-order test on null data: the suspect's likelihoods of the windows are
// fixed and the teacher's order is fresh each time, so the suspect is independent of it. Two nulls:
// positions permuted by the seeded PRNG (1,000 replications, with and without ties in score), and
// the engine's own shuffle under 300 other training seeds, scored by a model that trained on the same
// windows in another order (the case the test exists for: same data, independent run). Randomised
// p-values must be uniform (Kolmogorov–Smirnov) and conservative ones reject no more than α allows
// (99% binomial bound).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRandom } from "../random/index.js";
import { binomialInterval, ksTestUniform } from "../stats/index.js";
import { extremeWindows, orderCorrelation, trainingOrderTest, type OrderExample } from "./order-test.js";
import { scoreWindows } from "./order-scores.js";
import { memoised, trainOrderToy, type OrderToy } from "./test-support/order-toy.js";

const dir = mkdtempSync(join(tmpdir(), "pedigree-order-calibration-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let suspect: OrderToy;
let scores: number[];

beforeAll(async () => {
  suspect = await trainOrderToy(dir, 23);
  const windows = suspect.examplesFor(suspect.trainedSeed).sort((a, b) => a.text.localeCompare(b.text));
  scores = (await scoreWindows(suspect.model, undefined, windows.map((w) => w.text))).score.map((s) => s!);
}, 60_000);

function expectCalibrated(randomized: number[], conservative: number[]): void {
  const ks = ksTestUniform(randomized);
  expect(ks.p_value, `KS D = ${ks.statistic}`).toBeGreaterThan(0.01);
  for (const alpha of [0.05, 0.01]) {
    const { high } = binomialInterval(conservative.length, alpha, 0.99);
    expect(conservative.filter((p) => p <= alpha).length, `false positives at α = ${alpha}`).toBeLessThanOrEqual(high);
  }
  conservative.forEach((p, i) => expect(p).toBeGreaterThanOrEqual(randomized[i]! * (1 - 1e-9)));
}

describe("training-order test on null data", () => {
  it("is calibrated over 1,000 seeded permutations of the positions, the windows chosen at both ends", () => {
    const random = createRandom("order-calibration-permutations");
    const randomized: number[] = [], conservative: number[] = [];
    for (let r = 0; r < 1000; r++) {
      const positions = random.shuffle(scores.map((_, i) => i));
      // The window's index rides in its text, so the chosen windows keep their fixed scores.
      const items = extremeWindows(scores.map((_, i) => ({ position: positions[i]!, text: String(i) })), 200)
        .map((example) => ({ position: example.position, score: scores[Number(example.text)]! }));
      const result = orderCorrelation(items, r);
      randomized.push(Math.exp(result.log_p_randomized));
      conservative.push(Math.exp(result.log_p));
    }
    expectCalibrated(randomized, conservative);
  });

  it("stays calibrated when many windows tie in score (ties broken at random)", () => {
    const random = createRandom("order-calibration-ties");
    const coarse = scores.map((score) => Math.round(score * 20) / 20);
    expect(new Set(coarse).size).toBeLessThan(coarse.length / 4);
    const randomized: number[] = [], conservative: number[] = [];
    for (let r = 0; r < 500; r++) {
      const positions = random.shuffle(coarse.map((_, i) => i * 3));
      const result = orderCorrelation(coarse.slice(0, 150).map((score, i) => ({ position: positions[i]!, score })), 10_000 + r);
      randomized.push(Math.exp(result.log_p_randomized));
      conservative.push(Math.exp(result.log_p));
    }
    expectCalibrated(randomized, conservative);
  });

  it("is calibrated over 300 orders of the engine's shuffle for a model trained on the same windows in another order", async () => {
    const model = memoised(suspect.model);
    const randomized: number[] = [], conservative: number[] = [];
    for (let r = 0; r < 300; r++) {
      const order: OrderExample[] = suspect.examplesFor(5000 + r);
      const result = await trainingOrderTest({ suspect: model, examples: order, sample: 200, seed: r });
      randomized.push(result.detail.p_value_randomized as number);
      conservative.push(result.p_value);
    }
    expectCalibrated(randomized, conservative);
    expect(model.calls()).toBeLessThanOrEqual(800);
  }, 60_000);
});
