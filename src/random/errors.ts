// Errors of the random leaf: a seed or an argument the generator cannot use.
export const RANDOM_ERROR_CODES = ["RANDOM_BAD_SEED", "RANDOM_BAD_ARGUMENT"] as const;
export type RandomErrorCode = (typeof RANDOM_ERROR_CODES)[number];

export class RandomError extends Error {
  readonly pedigree = true;
  override name = "RandomError";
  readonly code: RandomErrorCode;

  constructor(code: RandomErrorCode, message: string) {
    super(message);
    this.code = code;
  }

  static isInstance(value: unknown): value is RandomError {
    return value instanceof Error && (value as RandomError).name === "RandomError" && (value as RandomError).pedigree === true;
  }
}
