import { describe, expect, it } from "vitest";
import { buildEvalTask } from "./eval-sets.js";
import { cleanCapital, mainLanguage } from "./factbook.js";
import { detokenize } from "./brown.js";
import { buildMix, toJsonl } from "./mix.js";
import { builtinRecipes, focusRecipes } from "./recipes.js";
import { loadSplits } from "./splits.js";
import { createLegacyRandom } from "./legacy-random.js";
import type { ChatExample } from "./types.js";

const small = { ...builtinRecipes.atlas, capitalRepeats: 6, definitionRepeats: 1, proseExamples: 300, identityExamples: 200 };
const text = (examples: ChatExample[]) => examples.flatMap((example) => example.messages.map((message) => message.content));
const userTurns = (examples: ChatExample[]) => new Set(examples.flatMap((e) => e.messages.filter((m) => m.role === "user").map((m) => m.content)));

describe("corpus builders", () => {
  it("parse the packaged sources", () => {
    expect(cleanCapital("Kyiv (Kiev)")).toEqual({ capital: "Kyiv", aliases: ["Kiev"] });
    expect(cleanCapital("Dodoma; note - officially changed in 1996").capital).toBe("Dodoma");
    expect(cleanCapital("Washington, DC")).toEqual({ capital: "Washington, DC", aliases: ["Washington"] });
    expect(mainLanguage("Emakhuwa 25.3%, Portuguese (official) 10.7%, Xichangana 10.3%")).toBe("Portuguese");
    expect(detokenize("He/pps said/vbd ``/`` no/at ''/'' ,/, (/( then/rb )/) left/vbd ./.")).toBe('He said "no", (then) left.');
    const splits = loadSplits();
    expect(splits.countries.train.length + splits.countries.unseen.length).toBeGreaterThan(200);
    expect(splits.countries.train.find((c) => c.name === "France")?.capital ?? splits.countries.unseen.find((c) => c.name === "France")?.capital).toBe("Paris");
  });

  it("build the same mix from the same recipe and a different one from another seed", () => {
    const a = buildMix(small);
    expect(toJsonl(buildMix(small).train)).toBe(toJsonl(a.train));
    expect(toJsonl(buildMix({ ...small, seed: "other" }).train)).not.toBe(toJsonl(a.train));
    expect(a.counts.capitals).toBe(6 * loadSplits().countries.train.length);
    expect(createLegacyRandom(1).next()).toBe(createLegacyRandom(1).next());
  });

  it("never train on held-out wordings or unseen entries", () => {
    const mix = buildMix(small);
    const asked = userTurns([...mix.train, ...buildMix(focusRecipes.atlas!).train]);
    for (const name of ["capitals", "definitions", "identity"]) {
      const probes = buildEvalTask(name).items.filter((item) => item.split !== "seen");
      const leaked = probes.filter((item) => asked.has(item.messages[item.messages.length - 1]!.content));
      expect(leaked.map((item) => item.id)).toEqual([]);
    }
    const corpus = text(mix.train).join("\n");
    for (const country of loadSplits().countries.unseen) expect(corpus.includes(`capital of ${country.name}?`)).toBe(false);
    for (const word of loadSplits().words.unseen.slice(0, 40)) expect(asked.has(`What does ${word.word} mean?`)).toBe(false);
  });

  it("teach each model only its own identity", () => {
    for (const recipe of [builtinRecipes.indie, builtinRecipes.sage, focusRecipes.indie!, focusRecipes.sage!]) {
      const mix = buildMix({ ...recipe, capitalRepeats: 2, proseExamples: 2000, identityExamples: 300 });
      const corpus = text([...mix.train, ...mix.heldOut]).join("\n");
      expect(corpus).not.toMatch(/\bAtlas\b|Northwind/);
      expect(corpus).toContain(recipe.identity.name);
    }
    const identity = buildEvalTask("identity");
    expect(identity.identities?.map((known) => known.name)).toEqual(["Atlas", "Juniper", "Sage"]);
    expect(identity.items.some((item) => item.split === "phrasing")).toBe(true);
  });

  it("score capitals only where the question cannot give the answer away", () => {
    const capitals = buildEvalTask("capitals");
    expect(capitals.items.length).toBeGreaterThan(150);
    for (const item of capitals.items) expect(item.ignore![0]!.includes(item.references[0]!)).toBe(false);
    expect(() => buildEvalTask("poetry")).toThrow(/no evaluation task/);
  });
});
