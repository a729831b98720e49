// Errors raised by the stats room: bad arguments and series that fail to converge.
export const STATS_ERROR_CODES = ["STATS_BAD_ARGUMENT", "STATS_NO_CONVERGENCE"] as const;
export type StatsErrorCode = (typeof STATS_ERROR_CODES)[number];

export class StatsError extends Error {
  readonly pedigree = true;
  override name = "StatsError";
  readonly code: StatsErrorCode;

  constructor(code: StatsErrorCode, message: string) {
    super(message);
    this.code = code;
  }

  static isInstance(value: unknown): value is StatsError {
    return value instanceof Error && (value as StatsError).name === "StatsError";
  }
}

export function requireFinite(name: string, value: number, min = -Infinity): void {
  if (!Number.isFinite(value) || value < min) {
    throw new StatsError("STATS_BAD_ARGUMENT", `${name} must be a finite number >= ${min}, got ${value}; check the caller's input`);
  }
}
