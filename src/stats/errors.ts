// Errors raised by the stats room: bad arguments and series that fail to converge.
import { PedigreeError, isPedigreeErrorNamed } from "../errors/index.js";

export const STATS_ERROR_CODES = ["STATS_BAD_ARGUMENT", "STATS_NO_CONVERGENCE"] as const;
export type StatsErrorCode = (typeof STATS_ERROR_CODES)[number];

export class StatsError extends PedigreeError<StatsErrorCode> {
  override name = "StatsError";

  static isInstance(value: unknown): value is StatsError {
    return isPedigreeErrorNamed(value, "StatsError");
  }
}

export function requireFinite(name: string, value: number, min = -Infinity): void {
  if (!Number.isFinite(value) || value < min) {
    throw new StatsError("STATS_BAD_ARGUMENT", `${name} must be a finite number >= ${min}, got ${value}; check the caller's input`);
  }
}
