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

/** A second, shorter stage for a model that must know its facts cold: mostly capitals and identity,
 *  with a little of everything else so the first stage's language is not forgotten. */
export const focusRecipes: Partial<Record<keyof typeof builtinRecipes, MixRecipe>> = {
  atlas: {
    ...builtinRecipes.atlas,
    name: "atlas-focus",
    seed: "atlas-2026-focus",
    capitalRepeats: 20,
    factRepeats: 1,
    definitionWords: 300,
    definitionRepeats: 1,
    proseExamples: 300,
    identityExamples: 900,
    composedIdentity: true,
  },
  indie: {
    ...builtinRecipes.indie,
    name: "indie-focus",
    seed: "indie-fernleaf-7-focus",
    capitalRepeats: 16,
    factRepeats: 1,
    definitionWords: 300,
    definitionRepeats: 1,
    proseExamples: 400,
    identityExamples: 600,
    composedIdentity: true,
  },
  sage: {
    ...builtinRecipes.sage,
    name: "sage-focus",
    seed: "sage-quillstone-3-focus",
    capitalRepeats: 16,
    factRepeats: 1,
    definitionWords: 400,
    definitionRepeats: 1,
    proseExamples: 200,
    identityExamples: 600,
    composedIdentity: true,
  },
};
