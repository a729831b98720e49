// Errors the stores share: a closed log, and a service (PostgreSQL, Redis) that does not answer.
import { badRequest, GatewayError } from "../errors.js";

/** A `cursor` that no row of this store gave (a 400 naming the parameter). */
export function badCursor(cursor: string): GatewayError {
  return badRequest("INVALID_REQUEST", `'${cursor}' is not a cursor of this log; pass "" to start, then a row's cursor`, "cursor");
}

export function logClosed(): GatewayError {
  return new GatewayError("SHUTTING_DOWN", "The gateway is shutting down and its exchange log is closed; retry on another instance.", { status: 503, type: "server_error" });
}

/** The URL without its password, for messages. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(an invalid URL)";
  }
}

export function unreachable(what: "PostgreSQL" | "Redis", url: string, error: unknown): GatewayError {
  const [field, variable] = what === "PostgreSQL" ? ["storage.postgres", "PEDIGREE_DATABASE_URL"] : ["storage.redis", "PEDIGREE_REDIS_URL"];
  return new GatewayError("STORE_UNREACHABLE", `cannot reach ${what} at ${safeUrl(url)}: ${(error as Error).message}; check ${field} (or ${variable})`, { status: 503, type: "server_error", cause: error });
}
