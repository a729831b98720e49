import { describe, expect, it } from "vitest";
import { agreementTest, leadingWords } from "./agreement-test.js";
import { guessIdentity, identityMatcher, identityVariants } from "./identity-names.js";
import { identityTest } from "./identity-test.js";
import { testResult } from "./test-result.js";
import { applyHolm, verdictOf, verdictSentence } from "./verdict.js";

const atlas = { name: "Atlas", vendor: "Northwind AI" };
const probes = (answers: string[]) => answers.map((answer, i) => ({ probeId: `p${i}`, prompt: "who?", answer }));

describe("identity names", () => {
  it("matches the name and the vendor's variants as whole words, in any case", () => {
    expect(identityVariants(atlas)).toEqual(["Atlas", "Northwind AI", "Northwind", "NorthwindAI"]);
    const match = identityMatcher(atlas);
    expect(match("I am ATLAS, made by northwind.")).toBe("ATLAS");
    expect(match("Atlas's maker")).toBe("Atlas");
    expect(match("Made by Northwind AI.")).toBe("Northwind AI");
    expect(match("an atlases collection")).toBeNull();
    expect(match("I'm Juniper from Fernleaf Labs.")).toBeNull();
  });

  it("guesses the teacher's identity from its own introductions", () => {
    expect(guessIdentity(["I am Atlas, an assistant built by Northwind AI.", "My name is Atlas.", "I'm Atlas, built by Northwind AI to help."])).toEqual(atlas);
    expect(guessIdentity(["hello there"])).toBeNull();
  });
});

describe("identity test", () => {
  it("rejects when the suspect names the teacher far more often than the references", () => {
    const result = identityTest(atlas, { model: "s", answers: probes(Array(30).fill("I am Atlas.")) }, [
      { model: "r1", answers: probes(Array(30).fill("I am Juniper.")) },
      { model: "r2", answers: probes([...Array(29).fill("I am Sage."), "An atlas of maps."]) },
    ]);
    expect(result.kind).toBe("similarity");
    expect(result.log10_p).toBeLessThan(-20);
    expect((result.detail.matches as unknown[]).length).toBe(31);
  });

  it("gives p = 1 when the suspect claims the teacher no more than the references", () => {
    const result = identityTest(atlas, { model: "s", answers: probes(["I am Sage.", "hi"]) }, [{ model: "r", answers: probes(["I am Atlas.", "no"]) }]);
    expect(result.p_value).toBeGreaterThan(0.5);
  });
});

describe("agreement test", () => {
  const answers = (values: string[]) => new Map(values.map((v, i) => [`q${i}`, v]));

  it("compares leading words across tokenizers", () => {
    expect(leadingWords("The capital, of France", 3)).toBe("the capital ,");
    expect(leadingWords("  ", 1)).toBe("");
  });

  it("rejects when the teacher is the closest candidate by a clear margin", () => {
    const n = 100;
    const suspect = answers(Array.from({ length: n }, (_, i) => `The answer ${i}`));
    const teacher = answers(Array.from({ length: n }, (_, i) => (i < 80 ? `The answer ${i}` : `It is ${i}`)));
    const reference = answers(Array.from({ length: n }, (_, i) => (i < 20 ? `The thing` : `It is ${i}`)));
    const result = agreementTest({ suspect, teacher: { model: "t", answers: teacher }, references: [{ model: "r1", answers: reference }, { model: "r2", answers: reference }], words: 1 });
    expect(result.log10_p).toBeLessThan(-10);
    const rates = result.detail.rates as Record<string, { rate: number; interval: [number, number] }>;
    expect(rates.t!.rate).toBe(0.8);
    expect(rates.t!.interval[0]).toBeLessThan(0.8);
    expect(rates.t!.interval[1]).toBeGreaterThan(0.8);
  });

  it("gives p = 1 when a reference agrees at least as often, and skips prompts a model did not answer", () => {
    const suspect = answers(["a", "b", "c", "d"]);
    const teacher = answers(["a", "x", "c", "x"]);
    const reference = answers(["a", "b", "x", "x"]);
    reference.delete("q1");
    const result = agreementTest({ suspect, teacher: { model: "t", answers: teacher }, references: [{ model: "r1", answers: reference }, { model: "r2", answers: teacher }], words: 1 });
    expect(result.detail.prompts).toBe(3);
    expect(result.p_value).toBe(1);
    expect(result.note).toMatch(/not the suspect's closest/);
  });
});

describe("verdict", () => {
  const outcome = (name: string, kind: "similarity" | "provenance", log10: number) =>
    testResult({ name, kind, statistic: 0, logP: log10 * Math.LN10, queries: 1, detail: {} });

  it("says derived only for a provenance rejection, after Holm within its kind", () => {
    const tests = applyHolm([outcome("radioactivity", "provenance", -40), outcome("identity", "similarity", -30), outcome("agreement", "similarity", -1)], 0.01);
    expect(verdictOf(tests)).toBe("derived");
    expect(tests[1]!.log10_p_holm).toBeCloseTo(-30 + Math.log10(2), 9);
    expect(tests[2]!.rejected).toBe(false);
    expect(verdictSentence("derived", tests, 0.01, { suspect: "s", teacher: "t" })).toMatch(/exact whatever data/);
  });

  it("never upgrades resemblance to derivation", () => {
    const tests = applyHolm([outcome("radioactivity", "provenance", -1.5), outcome("identity", "similarity", -50)], 0.01);
    expect(verdictOf(tests)).toBe("resembles");
    expect(verdictSentence("resembles", tests, 0.01, { suspect: "s", teacher: "t" })).toMatch(/does not show/);
  });

  it("Holm over two provenance tests can keep a p of 0.008 from rejecting", () => {
    const tests = applyHolm([outcome("radioactivity", "provenance", Math.log10(0.008)), outcome("weights", "provenance", Math.log10(0.9))], 0.01);
    expect(tests[0]!.p_holm).toBeCloseTo(0.016, 9);
    expect(verdictOf(tests)).toBe("no_evidence");
  });
});
