// Routes other than chat completions: the model list, a key's own usage and exchanges, and the admin
// endpoints (keys, usage and log queries). No route returns a secret or a secret's hash.
import type { Hono } from "hono";
import { requireAdmin, requireKey } from "./auth.js";
import type { GatewayContext } from "./gateway-context.js";
import { jsonResponse } from "./http.js";
import { alreadyRevokedError, type KeyRecord } from "./store/key-policy.js";
import { keyProtection } from "./model-protection.js";

const DAY_MS = 86_400_000;

function publicKey(key: KeyRecord): Record<string, unknown> {
  return { id: key.id, name: key.name, created_at: new Date(key.createdAt).toISOString(), revoked_at: key.revokedAt === null ? null : new Date(key.revokedAt).toISOString(), policy: key.policy };
}

function numberParam(url: URL, name: string): number | undefined {
  const value = url.searchParams.get(name);
  return value === null || !Number.isFinite(Number(value)) ? undefined : Number(value);
}

/** Usage since `since` (ms epoch), default the start of the current UTC day. */
function sinceParam(context: GatewayContext, url: URL): number {
  const now = context.now();
  return numberParam(url, "since") ?? now - (now % DAY_MS);
}

export function addRoutes(app: Hono, context: GatewayContext, adminKeySha256: string | null): void {
  app.get("/v1/models", async (c) => {
    const key = await requireKey(context, c.req.raw);
    const names = context.backends.names().filter((name) => context.backends.isOwner(name, key.id) || ((key.policy.models === null || key.policy.models.includes(name)) && context.backends.usableBy(name, key.id)));
    return jsonResponse({ object: "list", data: names.map((id) => ({ id, object: "model", created: 0, owned_by: "pedigree", protection: keyProtection(context, id, key.policy) })) });
  });
  // A key sees its own usage and exchanges, never another key's.
  app.get("/v1/usage", async (c) => {
    const key = await requireKey(context, c.req.raw);
    const since = sinceParam(context, new URL(c.req.url));
    return jsonResponse({ since: new Date(since).toISOString(), ...(await context.reader.usage(since, key.id))[0] });
  });
  app.get("/v1/exchanges", async (c) => {
    const key = await requireKey(context, c.req.raw);
    const url = new URL(c.req.url);
    return jsonResponse({ object: "list", data: await context.reader.query({ keyId: key.id, kind: "exchange", afterId: numberParam(url, "after"), limit: numberParam(url, "limit") }) });
  });

  app.get("/admin/keys", async (c) => {
    requireAdmin(adminKeySha256, c.req.raw);
    return jsonResponse({ object: "list", data: (await context.keys.list()).map(publicKey) });
  });
  app.post("/admin/keys/:id/revoke", async (c) => {
    requireAdmin(adminKeySha256, c.req.raw);
    const { record, alreadyRevoked } = await context.keys.revoke(c.req.param("id"), context.now());
    if (alreadyRevoked) throw alreadyRevokedError(record);
    return jsonResponse(publicKey(record));
  });
  app.get("/admin/usage", async (c) => {
    requireAdmin(adminKeySha256, c.req.raw);
    const since = sinceParam(context, new URL(c.req.url));
    return jsonResponse({ since: new Date(since).toISOString(), data: await context.reader.usage(since) });
  });
  app.get("/admin/log", async (c) => {
    requireAdmin(adminKeySha256, c.req.raw);
    const url = new URL(c.req.url);
    const keyId = url.searchParams.get("key") ?? undefined;
    return jsonResponse({ object: "list", data: await context.reader.query({ keyId, afterId: numberParam(url, "after"), limit: numberParam(url, "limit") }) });
  });
  app.get("/admin/log/verify", async (c) => {
    requireAdmin(adminKeySha256, c.req.raw);
    return jsonResponse(await context.reader.verify());
  });
}
