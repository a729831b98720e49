// GET /admin/alerts: the monitor's alerts, newest last (`?since=` ms epoch filters by alert time).
import type { Hono } from "hono";
import { requireAdmin } from "./auth.js";
import type { GatewayContext } from "./gateway-context.js";
import { jsonResponse } from "./http.js";

export function addAlertRoutes(app: Hono, context: GatewayContext, adminKeySha256: string | null): void {
  app.get("/admin/alerts", async (c) => {
    requireAdmin(adminKeySha256, c.req.raw);
    const since = Number(new URL(c.req.url).searchParams.get("since") ?? 0);
    const alerts = await Promise.resolve(context.monitor?.alerts ?? []);
    const data = alerts.filter((alert) => !(since > 0) || Date.parse(alert.alerted_at) >= since);
    return jsonResponse({ object: "list", monitor: context.monitor !== null, data });
  });
}
