// Calibration of the similarity tests on null data: when the suspect is no closer to the teacher than
// the references are (every model claims the teacher, or agrees with the suspect, at the same rate),
// the identity and agreement p-values are conservative: the false-positive rate stays within α.
import { describe, expect, it } from "vitest";
import { createRandom, type Random } from "../random/index.js";
import { binomialInterval } from "../stats/index.js";
import { agreementTest } from "./agreement-test.js";
import { identityTest } from "./identity-test.js";

const atlas = { name: "Atlas", vendor: "Northwind AI" };

function expectValid(pValues: number[], label: string): void {
  for (const alpha of [0.05, 0.01]) {
    const { high } = binomialInterval(pValues.length, alpha, 0.99);
    const rejections = pValues.filter((p) => p <= alpha).length;
    expect(rejections, `${label}: ${rejections} of ${pValues.length} at α = ${alpha}`).toBeLessThanOrEqual(high);
  }
  // Conservative, never anti-conservative: at most the uniform's share below 0.2.
  expect(pValues.filter((p) => p <= 0.2).length, label).toBeLessThanOrEqual(binomialInterval(pValues.length, 0.2, 0.99).high);
}

const answers = (random: Random, n: number, rate: number) =>
  Array.from({ length: n }, (_, i) => ({ probeId: `p${i}`, prompt: "who?", answer: random.uniform53() < rate ? "I am Atlas." : "I am someone." }));

describe("similarity tests under the null", () => {
  it("identity: the suspect claims the teacher as often as the references", () => {
    const random = createRandom("identity-null");
    const pValues: number[] = [];
    for (let trial = 0; trial < 2000; trial++) {
      const rate = [0.02, 0.1, 0.3, 0.6][trial % 4]!;
      pValues.push(identityTest(atlas, { model: "s", answers: answers(random, 34, rate) }, [
        { model: "r1", answers: answers(random, 34, rate) },
        { model: "r2", answers: answers(random, 34, rate) },
      ]).p_value);
    }
    expectValid(pValues, "identity");
  });

  it("agreement: every candidate agrees with the suspect at the same rate", () => {
    const random = createRandom("agreement-null");
    const pValues: { one: number[]; span: number[] } = { one: [], span: [] };
    for (let trial = 0; trial < 1500; trial++) {
      const rate = [0.05, 0.2, 0.5][trial % 3]!;
      const n = 200;
      const suspect = new Map(Array.from({ length: n }, (_, i) => [`q${i}`, `alpha beta gamma ${i}`]));
      const candidate = () => new Map(Array.from({ length: n }, (_, i) => [`q${i}`, random.uniform53() < rate ? `alpha beta gamma ${i}` : `other word ${i}`]));
      const input = { suspect, teacher: { model: "t", answers: candidate() }, references: [{ model: "r1", answers: candidate() }, { model: "r2", answers: candidate() }] };
      pValues.one.push(agreementTest({ ...input, words: 1 }).p_value);
      pValues.span.push(agreementTest({ ...input, words: 3 }).p_value);
    }
    expectValid(pValues.one, "agreement");
    expectValid(pValues.span, "agreement_span");
  });
});
