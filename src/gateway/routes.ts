// Routes other than chat completions: the model list, a key's own usage and exchanges, and the admin
// endpoints (keys, usage and log queries). No route returns a secret or a secret's hash.
import type { Hono } from "hono";
import { requireAdmin, requireKey } from "./auth.js";
import type { GatewayContext } from "./gateway-context.js";
import { jsonResponse } from "./http.js";
import { alreadyRevokedError, type KeyRecord } from "./store/key-policy.js";
import type { ExchangeQuery } from "./store/store.js";
import { keyProtection } from "./model-protection.js";

const DAY_MS = 86_400_000;

function publicKey(key: KeyRecord): Record<string, unknown> {
  return { id: key.id, name: key.name, created_at: new Date(key.createdAt).toISOString(), revoked_at: key.revokedAt === null ? null : new Date(key.revokedAt).toISOString(), policy: key.policy };
}

function numberParam(url: URL, name: string): number | undefined {
  const value = url.searchParams.get(name);
  return value === null || !Number.isFinite(Number(value)) ? undefined : Number(value);
}

/**
 * A page of the log: by id with `after`, or in commit order with `cursor` ("" to start, then the
 * `next_cursor` of the last page), which never skips a row that a replica committed late.
 */
async function logPage(context: GatewayContext, url: URL, filter: Partial<Pick<ExchangeQuery, "keyId" | "kind">>): Promise<Response> {
  const cursor = url.searchParams.get("cursor");
  const limit = numberParam(url, "limit");
  if (cursor === null) return jsonResponse({ object: "list", data: await context.reader.query({ ...filter, afterId: numberParam(url, "after"), limit }) });
  const data = await context.reader.query({ ...filter, cursor, limit });
  return jsonResponse({ object: "list", data, next_cursor: (data.at(-1)?.cursor as string | undefined) ?? cursor });
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
    return logPage(context, url, { keyId: key.id, kind: "exchange" });
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
    return logPage(context, url, { keyId: url.searchParams.get("key") ?? undefined });
  });
  app.get("/admin/log/verify", async (c) => {
    requireAdmin(adminKeySha256, c.req.raw);
    return jsonResponse(await context.reader.verify());
  });
}
