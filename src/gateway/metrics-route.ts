// GET /metrics: Prometheus text format, readable with the admin key or with a metrics-only token
// (`metrics_token_sha256` in the config, or PEDIGREE_METRICS_TOKEN), so a scraper never holds a key
// that can create or revoke API keys.
import { timingSafeEqual } from "node:crypto";
import type { Hono } from "hono";
import { GatewayError, unauthorized } from "./errors.js";
import type { GatewayContext } from "./gateway-context.js";
import { bearerToken } from "./http.js";
import { sha256Hex } from "./store/key-policy.js";

export interface OperatorSecrets {
  /** SHA-256 (hex) of the admin key; null: admin endpoints are off. */
  adminKeySha256: string | null;
  /** SHA-256 (hex) of the metrics token; null: only the admin key reads metrics. */
  metricsTokenSha256: string | null;
}

const matches = (given: Buffer, expected: string | null) => expected !== null && timingSafeEqual(given, Buffer.from(expected, "hex"));

export function requireMetricsReader(secrets: OperatorSecrets, request: Request): void {
  if (secrets.adminKeySha256 === null && secrets.metricsTokenSha256 === null) {
    throw new GatewayError("ADMIN_DISABLED", "Metrics are off: start the gateway with PEDIGREE_METRICS_TOKEN or PEDIGREE_ADMIN_KEY (or metrics_token_sha256 / admin_key_sha256 in the config).", {
      status: 403,
      type: "permission_error",
    });
  }
  const token = bearerToken(request);
  const given = Buffer.from(sha256Hex(token ?? ""), "hex");
  // Both comparisons always run, so the time taken does not tell which secret came close.
  const admin = matches(given, secrets.adminKeySha256);
  const metrics = matches(given, secrets.metricsTokenSha256);
  if (!token || !(admin || metrics)) throw unauthorized("GET /metrics needs the metrics token or the admin key, sent as 'Authorization: Bearer …'.");
}

export function addMetricsRoute(app: Hono, context: GatewayContext, secrets: OperatorSecrets): void {
  app.get("/metrics", async (c) => {
    requireMetricsReader(secrets, c.req.raw);
    const { body, contentType } = await context.metrics.exposition();
    return new Response(body, { status: 200, headers: { "content-type": contentType, "cache-control": "no-store" } });
  });
}
