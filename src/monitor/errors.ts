// Errors of the monitor room: bad settings, unreadable logs and references too small to calibrate.
import { PedigreeError, isPedigreeErrorNamed } from "../errors/index.js";

export const MONITOR_ERROR_CODES = [
  "MONITOR_BAD_OPTION",
  "MONITOR_LOG_INVALID",
  "MONITOR_REFERENCE_TOO_SMALL",
  "MONITOR_REFERENCE_UNREADABLE",
  "MONITOR_NO_TRAFFIC",
  "MONITOR_REPLAY_FAILED",
  "MONITOR_GATEWAY_UNREACHABLE",
] as const;
export type MonitorErrorCode = (typeof MONITOR_ERROR_CODES)[number];

export class MonitorError extends PedigreeError<MonitorErrorCode> {
  override name = "MonitorError";

  static isInstance(value: unknown): value is MonitorError {
    return isPedigreeErrorNamed(value, "MonitorError");
  }
}
