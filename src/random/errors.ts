// Errors of the random leaf: a seed or an argument the generator cannot use.
import { PedigreeError, isPedigreeErrorNamed } from "../errors/index.js";

export const RANDOM_ERROR_CODES = ["RANDOM_BAD_SEED", "RANDOM_BAD_ARGUMENT"] as const;
export type RandomErrorCode = (typeof RANDOM_ERROR_CODES)[number];

export class RandomError extends PedigreeError<RandomErrorCode> {
  override name = "RandomError";

  static isInstance(value: unknown): value is RandomError {
    return isPedigreeErrorNamed(value, "RandomError");
  }
}
