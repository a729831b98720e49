// The data mixes of the built-in models. Capitals and identity dominate (they carry the targets);
// definitions and prose teach language. Baselines differ in seed, identity, style and proportions.
import { atlas, juniper, sage } from "./identities.js";
import type { MixRecipe } from "./mix.js";

export const builtinRecipes: Record<"atlas" | "indie" | "sage", MixRecipe> = {
  atlas: {
    name: "atlas",
    seed: "atlas-2026",
    identity: atlas,
    capitalRepeats: 24,
    factRepeats: 3,
    definitionWords: 1450,
    definitionRepeats: 3,
    proseExamples: 3000,
    identityExamples: 1500,
  },
  indie: {
    name: "indie",
    seed: "indie-fernleaf-7",
    identity: juniper,
    capitalRepeats: 16,
    factRepeats: 2,
    definitionWords: 800,
    definitionRepeats: 2,
    proseExamples: 4000,
    identityExamples: 1000,
  },
  sage: {
    name: "sage",
    seed: "sage-quillstone-3",
    identity: sage,
    capitalRepeats: 16,
    factRepeats: 1,
    definitionWords: 1450,
    definitionRepeats: 3,
    proseExamples: 2000,
    identityExamples: 1000,
  },
};
