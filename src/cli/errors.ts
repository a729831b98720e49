// The CLI's own failures. Usage mistakes on the command line exit with 2; everything else, this
// room's or another room's, exits with 1.
import { PedigreeError, isPedigreeError, isPedigreeErrorNamed } from "../errors/index.js";

export const CLI_ERROR_CODES = ["USAGE", "COMMAND_UNAVAILABLE"] as const;
export type CliErrorCode = (typeof CLI_ERROR_CODES)[number];

export class CliError extends PedigreeError<CliErrorCode> {
  override name = "CliError";

  static isInstance(value: unknown): value is CliError {
    return isPedigreeErrorNamed(value, "CliError", "UsageError");
  }
}

/** A usage mistake (a bad option value, a missing argument): code USAGE, exit code 2. */
export class UsageError extends CliError {
  override name = "UsageError";
  declare readonly code: "USAGE";

  constructor(message: string, options: { cause?: unknown } = {}) {
    super("USAGE", message, options);
  }
}

export function exitCodeFor(error: unknown): number {
  if (CliError.isInstance(error) && error.code === "USAGE") return 2;
  const commanderCode = (error as { code?: string }).code;
  if (typeof commanderCode === "string" && commanderCode.startsWith("commander.")) return 2;
  return 1;
}

/** Commander's "error: …" line as every other failure line: `error [USAGE]: …`. */
export function withUsageCode(text: string): string {
  return text.replace(/^error: /, "error [USAGE]: ");
}

export function describeError(error: unknown): string {
  if (isPedigreeError(error)) return `error [${error.code}]: ${error.message}`;
  if (error instanceof Error) return `error: ${error.message}`;
  return `error: ${String(error)}`;
}
