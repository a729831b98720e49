// Errors of the audit room. Every one of them is raised before a query is spent when it can be.
export const AUDIT_ERROR_CODES = [
  "AUDIT_BAD_OPTION",
  "AUDIT_TOO_FEW_REFERENCES",
  "AUDIT_KEY_MISMATCH",
  "AUDIT_EXCHANGES_INVALID",
  "AUDIT_TRANSCRIPT_INVALID",
] as const;
export type AuditErrorCode = (typeof AUDIT_ERROR_CODES)[number];

export class AuditError extends Error {
  readonly pedigree = true;
  override name = "AuditError";
  readonly code: AuditErrorCode;

  constructor(code: AuditErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
  }

  static isInstance(value: unknown): value is AuditError {
    return value instanceof Error && (value as AuditError).name === "AuditError" && (value as AuditError).pedigree === true;
  }
}
