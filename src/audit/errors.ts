// Errors of the audit room. Every one of them is raised before a query is spent when it can be.
import { PedigreeError, isPedigreeErrorNamed } from "../errors/index.js";

export const AUDIT_ERROR_CODES = [
  "AUDIT_BAD_OPTION",
  "AUDIT_TOO_FEW_REFERENCES",
  "AUDIT_KEY_MISMATCH",
  "AUDIT_EXCHANGES_INVALID",
  "AUDIT_TRANSCRIPT_INVALID",
  "AUDIT_ORDER_INVALID",
] as const;
export type AuditErrorCode = (typeof AUDIT_ERROR_CODES)[number];

export class AuditError extends PedigreeError<AuditErrorCode> {
  override name = "AuditError";

  static isInstance(value: unknown): value is AuditError {
    return isPedigreeErrorNamed(value, "AuditError");
  }
}
