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
    factRepeats: 2,
    definitionWords: 1000,
    definitionRepeats: 2,
    proseExamples: 1200,
    identityExamples: 1200,
  },
  indie: {
    name: "indie",
    seed: "indie-fernleaf-7",
    identity: juniper,
    capitalRepeats: 16,
    factRepeats: 1,
    definitionWords: 600,
    definitionRepeats: 2,
    proseExamples: 1500,
    identityExamples: 1000,
  },
  sage: {
    name: "sage",
    seed: "sage-quillstone-3",
    identity: sage,
    capitalRepeats: 16,
    factRepeats: 2,
    definitionWords: 1000,
    definitionRepeats: 2,
    proseExamples: 800,
    identityExamples: 1000,
  },
};
