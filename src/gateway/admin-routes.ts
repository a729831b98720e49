// Operator endpoints beyond routes.ts: key creation, usage per key over time, each model's
// protection, Prometheus metrics, and the dashboard page at GET /admin that uses them all. Handlers
// await every store call so they keep working when the stores answer asynchronously.
import type { Hono } from "hono";
import { requireAdmin } from "./auth.js";
import { dashboardResponse } from "./dashboard/page.js";
import { badRequest } from "./errors.js";
import type { GatewayContext } from "./gateway-context.js";
import { jsonResponse, readJsonBody } from "./http.js";
import { addMetricsRoute, type OperatorSecrets } from "./metrics-route.js";
import { modelProtection } from "./model-protection.js";
import { parseSeriesQuery, usageSeries } from "./usage-series.js";

const MAX_NAME_LENGTH = 200;

/** `{ name, policy? }` as sent to POST /admin/keys; the policy itself is checked by the key store. */
function parseNewKey(body: unknown): { name: string; policy: Record<string, unknown> } {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw badRequest("INVALID_REQUEST", "Send a JSON object: { \"name\": \"…\", \"policy\": { … } }.");
  const { name, policy, ...rest } = body as Record<string, unknown>;
  const extra = Object.keys(rest);
  if (extra.length > 0) throw badRequest("INVALID_REQUEST", `Unknown field '${extra[0]}'; a new key takes 'name' and 'policy'.`, extra[0]);
  if (typeof name !== "string" || name.trim().length === 0 || name.length > MAX_NAME_LENGTH) {
    throw badRequest("INVALID_REQUEST", `'name' must be a non-empty string of at most ${MAX_NAME_LENGTH} characters.`, "name");
  }
  if (policy !== undefined && (typeof policy !== "object" || policy === null || Array.isArray(policy))) throw badRequest("INVALID_REQUEST", "'policy' must be an object (see 'pedigree keys create --help').", "policy");
  return { name: name.trim(), policy: (policy ?? {}) as Record<string, unknown> };
}

export function addAdminRoutes(app: Hono, context: GatewayContext, secrets: OperatorSecrets): void {
  const admin = (request: Request) => requireAdmin(secrets.adminKeySha256, request);

  // The page itself holds no data: everything it shows comes from the endpoints below, with the key.
  app.get("/admin", () => dashboardResponse());

  // Like `pedigree keys create --json`: the secret is in this reply and nowhere else.
  app.post("/admin/keys", async (c) => {
    admin(c.req.raw);
    const { name, policy } = parseNewKey(await readJsonBody(c.req.raw, context.bodyLimit));
    const { record, secret } = await context.keys.create(name, policy, context.now());
    return jsonResponse({ id: record.id, name: record.name, key: secret, created_at: new Date(record.createdAt).toISOString(), revoked_at: null, policy: record.policy }, 201);
  });

  app.get("/admin/usage/series", async (c) => {
    admin(c.req.raw);
    const query = parseSeriesQuery(new URL(c.req.url), context.now());
    return jsonResponse(await usageSeries(context.reader, query));
  });

  // What this gateway offers the dashboard (is the monitor on?), so the page asks only for what is there.
  app.get("/admin/status", (c) => {
    admin(c.req.raw);
    return jsonResponse({ monitor: context.monitor !== null, metrics_token: secrets.metricsTokenSha256 !== null, models: context.backends.names().length });
  });

  app.get("/admin/models", (c) => {
    admin(c.req.raw);
    return jsonResponse({ object: "list", data: modelProtection(context) });
  });

  addMetricsRoute(app, context, secrets);
}
