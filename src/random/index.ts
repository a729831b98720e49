// The random leaf: the project's one seeded PRNG. It imports nothing but the errors leaf, so every
// room may import it (the engine and stats, which import nothing else of the project, included).
export { createRandom, xoshiro128StarStar, type Random } from "./random.js";
export { foldSeed, hashSeed } from "./seed.js";
export { RandomError, type RandomErrorCode } from "./errors.js";
