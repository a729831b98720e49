// Usage mistakes on the command line (exit code 2); everything else a room throws exits with 1.
export class UsageError extends Error {
  readonly pedigree = true;
  override name = "UsageError";
  readonly code = "USAGE";
}

/** Every room's error class carries `pedigree: true` and a stable `code`. */
export function isPedigreeError(error: unknown): error is Error & { code: string } {
  return error instanceof Error && (error as { pedigree?: unknown }).pedigree === true;
}

export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return 2;
  const commanderCode = (error as { code?: string }).code;
  if (typeof commanderCode === "string" && commanderCode.startsWith("commander.")) return 2;
  return 1;
}

export function describeError(error: unknown): string {
  if (isPedigreeError(error)) return `error [${error.code}]: ${error.message}`;
  if (error instanceof Error) return `error: ${error.message}`;
  return `error: ${String(error)}`;
}
