// The errors leaf: the base of every room's error class. It imports nothing, so every room may import
// it (the engine and stats, which import nothing else of the project, included).
export { PedigreeError, isPedigreeError, isPedigreeErrorNamed } from "./pedigree-error.js";
