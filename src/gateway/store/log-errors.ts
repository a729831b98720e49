// Errors the log writers share.
import { GatewayError } from "../errors.js";

export function logClosed(): GatewayError {
  return new GatewayError("SHUTTING_DOWN", "The gateway is shutting down and its exchange log is closed; retry on another instance.", { status: 503, type: "server_error" });
}
