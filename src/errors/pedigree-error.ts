// What every room's error class shares: the `pedigree: true` marker, a `name`, a stable `code` from
// the room's closed list, and a message that says what was wrong and what to do.

export abstract class PedigreeError<Code extends string> extends Error {
  readonly pedigree = true;
  abstract override name: string;
  readonly code: Code;

  constructor(code: Code, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
  }
}

/**
 * Whether `value` is one of the project's errors named `names`: by name and marker, not `instanceof`,
 * so an error from another copy of the package (dist/ beside src/) still counts.
 */
export function isPedigreeErrorNamed(value: unknown, ...names: string[]): boolean {
  return isPedigreeError(value) && names.includes(value.name);
}

/** Every room's error class carries `pedigree: true` and a stable `code`. */
export function isPedigreeError(error: unknown): error is Error & { code: string } {
  return error instanceof Error && (error as { pedigree?: unknown }).pedigree === true;
}
