// The distillation routes' errors, as GatewayErrors in OpenAI's shape.
import { GatewayError, badRequest } from "../errors.js";
import type { KeyRecord } from "../store/index.js";

export function requireLicence(key: KeyRecord, what: string): void {
  if (!key.policy.distillation) {
    throw new GatewayError("DISTILLATION_NOT_LICENSED", `This key is not licensed for distillation, so it may not ${what}. Ask the gateway's operator for a key with distillation: true.`, {
      status: 403, type: "permission_error",
    });
  }
}

export function notFound(kind: string, id: string, param: string | null = null): GatewayError {
  return new GatewayError("NOT_FOUND", `No such ${kind}: '${id}'.`, { status: 404, type: "invalid_request_error", param });
}

export function invalidFile(message: string, param = "file"): GatewayError {
  return badRequest("INVALID_FILE_FORMAT", message, param);
}

export function invalidState(message: string): GatewayError {
  return badRequest("INVALID_STATE", message);
}

export function invalidRequest(message: string, param: string | null = null): GatewayError {
  return badRequest("INVALID_REQUEST", message, param);
}
