// Errors raised by the defend room. Codes are stable; messages say what to do.
import { PedigreeError, isPedigreeErrorNamed } from "../errors/index.js";

export const DEFEND_ERROR_CODES = [
  "DEFENCE_NOT_FOUND",
  "DEFENCE_BAD_MAGIC",
  "DEFENCE_BAD_VERSION",
  "DEFENCE_INVALID",
  "DEFENCE_MISMATCH",
  "DEFENCE_BAD_DATA",
  "DEFENCE_BAD_PARAMS",
  "CANDIDATES_UNAVAILABLE",
] as const;
export type DefendErrorCode = (typeof DEFEND_ERROR_CODES)[number];

export class DefendError extends PedigreeError<DefendErrorCode> {
  override name = "DefendError";

  static isInstance(value: unknown): value is DefendError {
    return isPedigreeErrorNamed(value, "DefendError");
  }
}
