// The audit's identity probes ask in wordings no built-in model was trained on (the ICE evaluation's
// point: a claim under a new wording shows what the model learned, not a memorised line). Checked
// against every user turn of the built-in models' training mixes, focus stages included.
import { describe, expect, it } from "vitest";
import { identityProbes } from "../../audit/index.js";
import { buildMix, builtinRecipes, focusRecipes } from "../../corpus/index.js";

const normalize = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N} ]+/gu, " ").replace(/\s+/g, " ").trim();

describe("identity probes", () => {
  it("are never a user turn of any built-in training set, and cover direct, wrapped and indirect wordings", () => {
    const trained = new Set<string>();
    const recipes = [...Object.values(builtinRecipes), ...Object.values(focusRecipes)];
    for (const recipe of recipes) {
      for (const example of buildMix(recipe!).train) {
        for (const message of example.messages) if (message.role === "user") trained.add(normalize(message.content));
      }
    }
    expect(trained.size).toBeGreaterThan(1000);
    const probes = identityProbes();
    const seen = probes.filter((probe) => trained.has(normalize(probe.prompt)));
    expect(seen.map((probe) => probe.prompt)).toEqual([]);
    expect(new Set(probes.map((probe) => probe.kind))).toEqual(new Set(["direct", "wrapped", "indirect"]));
    expect(new Set(probes.map((probe) => probe.id)).size).toBe(probes.length);
  }, 120_000);
});
