// Who is calling: an API key (its SHA-256 is looked up) or the admin key (compared in constant time).
import { timingSafeEqual } from "node:crypto";
import { GatewayError, unauthorized } from "./errors.js";
import type { GatewayContext } from "./gateway-context.js";
import { bearerFromHeader, bearerToken } from "./http.js";
import { sha256Hex, type KeyRecord } from "./store/key-policy.js";

export function requireKey(context: GatewayContext, request: Request): Promise<KeyRecord> {
  return keyFromAuthorization(context, request.headers.get("authorization"));
}

export async function keyFromAuthorization(context: GatewayContext, authorization: string | null): Promise<KeyRecord> {
  const token = bearerFromHeader(authorization);
  if (!token) throw unauthorized("You didn't provide an API key. Send it as 'Authorization: Bearer pdg-…'.");
  const key = await context.keys.authenticate(token);
  if (!key) throw unauthorized("Incorrect or revoked API key provided. Ask the gateway's operator for a key ('pedigree keys create').");
  return key;
}

export function requireAdmin(adminKeySha256: string | null, request: Request): void {
  if (adminKeySha256 === null) {
    throw new GatewayError("ADMIN_DISABLED", "Admin endpoints are off: start the gateway with PEDIGREE_ADMIN_KEY (or admin_key_sha256 in the config).", {
      status: 403,
      type: "permission_error",
    });
  }
  const token = bearerToken(request);
  const given = Buffer.from(sha256Hex(token ?? ""), "hex");
  if (!token || !timingSafeEqual(given, Buffer.from(adminKeySha256, "hex"))) throw unauthorized("This endpoint needs the admin key.");
}
