// pedigree monitor simulate → scan → watch, in process: a harvest replayed through the gateway is
// caught from the data directory, from an export and from a live gateway; bad logs still scan.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGatewayApp } from "../../gateway/app.js";
import { openDatabase } from "../../gateway/store/sqlite/database.js";
import { startGatewayServer } from "../../gateway/node-server.js";
import { directExchanges, referenceFromJson, simulateTraffic } from "../../monitor/index.js";
import { runCli } from "../test-support/run-cli.js";
import { promptPools } from "./monitor-sources.js";

const dir = mkdtempSync(join(tmpdir(), "pedigree-monitor-cli-"));
const data = join(dir, "gateway");
const referenceFile = join(dir, "benign.jsonl");
const calibration = ["--reference", referenceFile, "--fpr", "0.02"];
// Built references are kept here rather than in the user's cache.
const cache = join(dir, "cache");
process.env.PEDIGREE_CACHE_DIR = cache;
let harvestId: string;

beforeAll(async () => {
  // A benign reference of the same kind of clients, as log rows (no hash chain: read unverified).
  const benign = simulateTraffic({ seed: "cli-reference", pools: await promptPools("all"), benignKeys: 900, appKeys: 12, prefix: "ref" });
  const rows = directExchanges(benign.requests).map((exchange, i) => ({
    id: exchange.id, ts: exchange.ts, key_id: exchange.keyId, model: "echo", status: 200, finish_reason: exchange.finishReason, completion_tokens: exchange.completionTokens,
    request: { messages: benign.requests[i]!.messages, params: benign.requests[i]!.params },
  }));
  writeFileSync(referenceFile, rows.map((row) => JSON.stringify(row)).join("\n") + "\n");
  const simulated = await runCli(["monitor", "simulate", "--data", data, "--benign", "40", "--apps", "1", "--campaign", "harvest:300", "--seed", "cli", "--json"]);
  expect(simulated.exitCode).toBe(0);
  const summary = JSON.parse(simulated.stdout) as { campaigns: { id: string; name: string }[]; exchanges: number };
  harvestId = summary.campaigns.find((key) => key.name === "sim-harvest-1")!.id;
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const scanJson = async (...argv: string[]) => {
  const run = await runCli(["monitor", "scan", ...argv, ...calibration, "--json"]);
  expect(run.exitCode, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as { exchanges: number; alerts: { scope: string; keys: string[]; exchanges_before_alert: number; signals: string[] }[]; notes: string[]; log: { ok: boolean } };
};

describe("pedigree monitor", () => {
  it("catches the harvest in the data directory within 200 exchanges, and nothing else", async () => {
    const result = await scanJson("--data", data);
    expect(result.log.ok).toBe(true);
    const alert = result.alerts.find((candidate) => candidate.keys.includes(harvestId));
    expect(alert).toMatchObject({ scope: "key", signals: expect.arrayContaining(["rate"]) });
    expect(alert!.exchanges_before_alert).toBeLessThanOrEqual(200);
    expect(result.alerts.filter((candidate) => !candidate.keys.includes(harvestId)).length).toBeLessThanOrEqual(1);
  });

  it("keeps the built reference on disk and scans the same with it", async () => {
    const first = await scanJson("--data", data);
    const saved = readdirSync(cache).filter((name) => name.startsWith("monitor-reference-") && name.endsWith(".json"));
    expect(saved).toHaveLength(1);
    const reference = referenceFromJson(JSON.parse(readFileSync(join(cache, saved[0]!), "utf8")), saved[0]!);
    expect((first as unknown as { p_floor: number }).p_floor).toBeCloseTo(1 / (reference.calibrationWindows + 1), 12);
    expect(await scanJson("--data", data)).toEqual(first);
  });

  it("reads an exported log the same way, and says which lines it skipped", async () => {
    const exported = join(dir, "export.jsonl");
    expect((await runCli(["log", "export", "--data", data, "--out", exported])).exitCode).toBe(0);
    const fromData = await scanJson("--data", data);
    const fromExport = await scanJson("--log", exported);
    expect(fromExport.alerts).toEqual(fromData.alerts);
    const garbled = join(dir, "garbled.jsonl");
    writeFileSync(garbled, "not json\n[1,2]\n");
    const result = await scanJson("--log", garbled);
    expect(result.exchanges).toBe(0);
    expect(result.notes.join("\n")).toMatch(/2 lines of .* are not JSON objects \(first: line 1\)/);
  });

  it("scans the verified part of a log whose chain is broken, and says where it broke", async () => {
    const copy = join(dir, "tampered");
    expect((await runCli(["monitor", "simulate", "--data", copy, "--benign", "5", "--apps", "0", "--campaign", "harvest:120", "--seed", "cli-tamper", "--json"])).exitCode).toBe(0);
    const db = openDatabase(copy);
    const total = db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM exchanges").get()!.n;
    db.prepare("UPDATE exchanges SET response = 'edited' WHERE id = ?").run(total - 9);
    db.close();
    const result = await scanJson("--data", copy);
    expect(result.log.ok).toBe(false);
    expect(result.exchanges).toBe(total - 10);
    expect(result.notes.join("\n")).toMatch(new RegExp(`fails verification: row ${total - 9} of chain \\S+ was changed.*scanned the ${total - 10} rows before it`));
  });

  it("refuses bad options and a data directory that is already in use", async () => {
    expect((await runCli(["monitor", "scan", "--data", data, "--since", "yesterday-ish"])).stderr).toMatch(/error \[USAGE\]: --since must be/);
    expect((await runCli(["monitor", "scan", "--data", data, "--log", referenceFile])).exitCode).toBe(2);
    expect((await runCli(["monitor", "scan", "--data", data, "--fpr", "2"])).stderr).toMatch(/--fpr must be a rate in \(0, 1\)/);
    const again = await runCli(["monitor", "simulate", "--data", data]);
    expect(again.stderr).toMatch(/error \[MONITOR_BAD_OPTION\]: .* already holds a gateway database/);
    expect((await runCli(["monitor", "scan", "--data", join(dir, "nothing-here")])).stderr).toMatch(/error \[LOG_NOT_FOUND\]/);
  });

  it("follows a running gateway and prints the same alert", async () => {
    const app = await createGatewayApp({ dataDir: data, adminKey: "pdg-admin-monitor", models: {} });
    const server = await startGatewayServer(app, { host: "127.0.0.1", port: 0 });
    try {
      const run = await runCli(["monitor", "watch", "--url", server.url, "--admin-key", "pdg-admin-monitor", "--once", ...calibration, "--json"]);
      expect(run.exitCode, run.stderr).toBe(0);
      const alerts = run.stdout.trim().split("\n").map((line) => JSON.parse(line) as { keys: string[] });
      expect(alerts.some((alert) => alert.keys.includes(harvestId))).toBe(true);
      const refused = await runCli(["monitor", "watch", "--url", server.url, "--admin-key", "wrong", "--once", ...calibration]);
      expect(refused.stderr).toMatch(/error \[MONITOR_GATEWAY_UNREACHABLE\]: .* answered 401/);
    } finally {
      await server.close();
    }
  });
});
