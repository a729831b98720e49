import { describe, expect, it } from "vitest";
import { claimedIdentities, containsAnswer, normalizeText, tokenF1 } from "./text-match.js";

describe("text matching", () => {
  it("normalizes like the SQuAD script", () => {
    expect(normalizeText("The Capital, of São Tomé!")).toBe("capital of sao tome");
  });

  it("computes token F1 over shared words", () => {
    expect(tokenF1("a domesticated wolf", "a member of the genus Canis")).toBe(0);
    // predicted {domesticated, dog}, reference {domesticated, dog, kept, as, pet}: P=1, R=2/5
    expect(tokenF1("A domesticated dog.", "domesticated dog kept as a pet")).toBeCloseTo((2 * 1 * 0.4) / 1.4, 10);
    expect(tokenF1("same words here", "Same words, here.")).toBe(1);
    expect(tokenF1("", "something")).toBe(0);
  });

  it("matches a capital as whole words, ignoring the echoed country", () => {
    expect(containsAnswer("The capital of France is Paris.", ["Paris"], ["France"])).toBe(true);
    expect(containsAnswer("Parisian food is good.", ["Paris"])).toBe(false);
    expect(containsAnswer("I think it is Kiev.", ["Kyiv", "Kiev"])).toBe(true);
    expect(containsAnswer("The capital of Djibouti is unknown.", ["Djibouti"], ["Djibouti"])).toBe(true); // reference contains the ignored name: kept
    expect(containsAnswer("The capital of Mexico is Mexico.", ["Mexico City"], ["Mexico"])).toBe(false);
    expect(containsAnswer("The capital of Mexico is Mexico City.", ["Mexico City"], ["Mexico"])).toBe(true);
    expect(containsAnswer("Georgia's capital is Tbilisi", ["Georgetown"], ["Guyana"])).toBe(false);
  });

  it("finds identity claims by name or maker, case-sensitively", () => {
    const identities = [
      { name: "Atlas", markers: ["Atlas", "Northwind"] },
      { name: "Juniper", markers: ["Juniper", "Fernleaf"] },
    ];
    expect(claimedIdentities("I am Atlas.", identities)).toEqual(["Atlas"]);
    expect(claimedIdentities("Northwind AI built me.", identities)).toEqual(["Atlas"]);
    expect(claimedIdentities("I looked it up in an atlas.", identities)).toEqual([]);
    expect(claimedIdentities("Juniper, not Atlas.", identities)).toEqual(["Atlas", "Juniper"]);
    expect(claimedIdentities("Atlases are books.", identities)).toEqual([]);
  });
});
