// Public API of the corpus room: seeded builders of the built-in models' training sets and eval sets.
export { buildMix, toJsonl, type Mix, type MixRecipe } from "./mix.js";
export { builtinRecipes, focusRecipes } from "./recipes.js";
export { buildEvalTask, evalTaskNames, type EvalTaskName } from "./eval-sets.js";
export { atlas, juniper, sage, identityProfiles, identityMarkers, type IdentityProfile } from "./identities.js";
export { loadSplits, type Splits } from "./splits.js";
export { CorpusError, type CorpusErrorCode } from "./errors.js";
export type { ChatExample, ChatTurn, EvalItem, EvalSplit, EvalTaskData } from "./types.js";
