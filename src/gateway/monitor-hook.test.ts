// The monitor inside the gateway: simulated traffic replayed with the official openai client, the
// alert in GET /admin/alerts, the action taken on the key, and both recorded in the log's chain.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildReference, directExchanges, replayThroughGateway, simulateTraffic, syntheticPools, toMonitorExchange, type MonitorExchange } from "../monitor/index.js";
import { echoModel } from "./test-support/fake-models.js";
import { ADMIN_KEY, startHarness, type Harness } from "./test-support/harness.js";

const pools = syntheticPools("gateway-monitor");
let harness: Harness;
const clock = { now: Date.UTC(2026, 11, 1) };
const traffic = simulateTraffic({ seed: "gateway-monitor-live", pools, benignKeys: 4, appKeys: 0, campaigns: [{ kind: "harvest", exchanges: 160 }], prefix: "live" });
const ids = new Map<string, string>();
let replay: { sent: number; refused: number };

beforeAll(async () => {
  const benign = simulateTraffic({ seed: "gateway-monitor-reference", pools, benignKeys: 1200, appKeys: 15, prefix: "ref" });
  const reference = buildReference(directExchanges(benign.requests));
  harness = await startHarness({ echo: echoModel() }, { now: () => clock.now, monitor: { reference, policy: { fpr: 0.05, action: "suspend" } } });
  const secrets = new Map<string, string>();
  for (const key of traffic.keys) {
    const created = await harness.createKey(key.name);
    secrets.set(key.name, created.secret);
    ids.set(key.name, created.id);
  }
  replay = await replayThroughGateway(traffic.requests, { baseURL: harness.baseURL, model: "echo", secrets, setClock: (ms) => (clock.now = ms) });
}, 60_000);
afterAll(async () => harness?.stop());

async function loggedRows(): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for await (const row of harness.app.context.reader.iterate()) rows.push(row);
  return rows;
}

describe("the monitor in the gateway", () => {
  it("alerts on the harvest, suspends its key and lists the alert for the admin", async () => {
    const response = await fetch(`${harness.server.url}/admin/alerts`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    const body = (await response.json()) as { monitor: boolean; data: { keys: string[]; action: string; p_value: number; exchanges_before_alert: number }[] };
    expect(body.monitor).toBe(true);
    const alert = body.data.find((candidate) => candidate.keys.includes(ids.get("live-harvest-1")!));
    expect(alert).toMatchObject({ action: "suspend" });
    expect(alert!.p_value).toBeLessThanOrEqual(0.05);
    expect(alert!.exchanges_before_alert).toBeLessThanOrEqual(100);
    // Every harvest request after the alert was refused with 403.
    expect(replay.refused).toBe(160 - alert!.exchanges_before_alert);
    expect(body.data.every((candidate) => !candidate.keys.some((key) => key !== ids.get("live-harvest-1")))).toBe(true);
  });

  it("records the alert and the action in the chain, which still verifies", async () => {
    const events = (await loggedRows()).filter((row) => row.kind === "event");
    expect(events.map((row) => row.event_type)).toEqual(["monitor_alert", "monitor_action"]);
    expect(events[0]!.key_id).toBe(ids.get("live-harvest-1"));
    expect(events[1]).toMatchObject({ key_id: ids.get("live-harvest-1"), payload: { action: "suspend" } });
    expect(await harness.app.context.reader.verify()).toMatchObject({ ok: true, first_bad_row: null });
  });

  it("logs the same exchanges the simulator scores without a server", async () => {
    const rows = await loggedRows();
    const names = new Map([...ids].map(([name, id]) => [id, name]));
    const logged = rows.map(toMonitorExchange).filter((row): row is MonitorExchange => typeof row !== "string");
    // The suspended key's refused requests are logged as denied (403) and are not exchanges.
    const denied = rows.filter((row) => row.decision === "denied:api_key_suspended");
    expect(denied.length).toBe(replay.refused);
    expect(denied.every((row) => row.status === 403)).toBe(true);
    const answeredHarvest = 160 - replay.refused;
    let harvestSeen = 0;
    const expected = directExchanges(traffic.requests).filter((row) => row.keyId !== "live-harvest-1" || harvestSeen++ < answeredHarvest);
    const strip = ({ id: _id, keyId, ...rest }: MonitorExchange) => ({ ...rest, keyId: names.get(keyId) ?? keyId });
    expect(logged.map(strip)).toEqual(expected.map(strip));
  });

  it("breaks the chain at an event row that is edited", async () => {
    const event = (await loggedRows()).find((row) => row.event_type === "monitor_action")!;
    harness.db.prepare("UPDATE exchanges SET payload = ? WHERE id = ?").run(JSON.stringify({ action: "flag" }), event.id);
    expect(await harness.app.context.reader.verify()).toMatchObject({ ok: false, first_bad_row: event.seq });
  });
});
