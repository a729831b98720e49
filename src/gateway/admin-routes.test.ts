// The dashboard's endpoints: creating a key (the secret once), usage per key in time buckets, each
// model's protection, and the page itself (served without data, locked down by its policy).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addAdminRoutes } from "./admin-routes.js";
import { errorResponse } from "./http.js";
import { sha256Hex } from "./store/index.js";
import { echoModel, fakeTokenModel, fakeWatermark } from "./test-support/fake-models.js";
import { ADMIN_KEY, startHarness, type Harness } from "./test-support/harness.js";
import { loadWatermarkHook } from "./watermark-hook.js";

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 11, 1, 9, 0, 0);
let clock = T0;
let harness: Harness;

beforeAll(async () => {
  harness = await startHarness(
    { echo: echoModel(), white: fakeTokenModel(), atlas: "atlas", remote: "http://127.0.0.1:9/v1#big", local: "llamacpp:./student.gguf" },
    { now: () => clock, watermark: { ...fakeWatermark(), scheme: "kgw" } },
  );
});
afterAll(() => harness.stop());

const admin = (path: string, init: RequestInit = {}, key = ADMIN_KEY) =>
  fetch(`${harness.server.url}${path}`, { ...init, headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...init.headers } });
// Replies are checked field by field below, so they are read untyped.
const readJson = async (response: Response | Promise<Response>): Promise<any> => (await response).json();
const createKey = (body: unknown, key?: string) => admin("/admin/keys", { method: "POST", body: JSON.stringify(body) }, key);
const ask = (content: string) => [{ role: "user" as const, content }];

describe("POST /admin/keys", () => {
  it("creates a working key with its policy and returns the secret once", async () => {
    const response = await createKey({ name: "  dashboard  ", policy: { models: ["echo"], rpm: 30, distillation: true, watermark: false } });
    expect(response.status).toBe(201);
    const created = await readJson(response);
    expect(created).toMatchObject({ name: "dashboard", revoked_at: null, policy: { models: ["echo"], rpm: 30, tpm: null, dailyTokens: null, distillation: true, watermark: false } });
    expect(created.id).toMatch(/^key_[0-9a-f]{16}$/);
    expect(created.key).toMatch(/^pdg-/);
    const answer = await harness.client(created.key).chat.completions.create({ model: "echo", messages: ask("hi") });
    expect(answer.choices[0]!.message.content).toBe("echo: hi");
    const listed = await readJson(admin("/admin/keys"));
    expect(listed.data.find((key: { id: string }) => key.id === created.id)).toMatchObject({ name: "dashboard", policy: { rpm: 30 } });
    expect(JSON.stringify(listed)).not.toContain(created.key);
  });

  it("refuses bad requests with stable codes and creates nothing", async () => {
    const count = async () => (await readJson(admin("/admin/keys"))).data.length;
    const before = await count();
    const cases: [unknown, string, string | null][] = [
      [{ name: "x", policy: { watermark: false } }, "api_key_bad_policy", null],
      [{ name: "x", policy: { rpm: -3 } }, "api_key_bad_policy", null],
      [{ name: "x", policy: { colour: "red" } }, "api_key_bad_policy", null],
      [{ name: "" }, "invalid_request", "name"],
      [{ name: "x".repeat(201) }, "invalid_request", "name"],
      [{ name: "x", secret: "pdg-mine" }, "invalid_request", "secret"],
      [{ name: "x", policy: [1] }, "invalid_request", "policy"],
      [["x"], "invalid_request", null],
    ];
    for (const [body, code, param] of cases) {
      const response = await createKey(body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      const { error } = await readJson(response);
      expect(error.code, JSON.stringify(body)).toBe(code);
      if (param) expect(error.param).toBe(param);
    }
    const malformed = await admin("/admin/keys", { method: "POST", body: "{not json" });
    expect((await readJson(malformed)).error.code).toBe("invalid_json");
    expect(await count()).toBe(before);
  });

  it("needs the admin key", async () => {
    const key = (await harness.createKey("plain")).secret;
    expect((await createKey({ name: "x" }, key)).status).toBe(401);
    expect((await createKey({ name: "x" }, "wrong")).status).toBe(401);
  });
});

describe("GET /admin/usage/series", () => {
  it("counts requests, denials and tokens per key in UTC buckets, zeros included", async () => {
    const busy = await harness.createKey("busy", { rpm: 2 });
    const quiet = await harness.createKey("quiet");
    clock = T0 + 5 * 60_000; // 09:05
    await harness.client(busy.secret).chat.completions.create({ model: "echo", messages: ask("a b c") });
    await harness.client(busy.secret).chat.completions.create({ model: "echo", messages: ask("a") });
    await expect(harness.client(busy.secret).chat.completions.create({ model: "echo", messages: ask("a") })).rejects.toMatchObject({ status: 429 });
    clock = T0 + 2 * HOUR + 59 * 60_000; // 11:59
    await harness.client(quiet.secret).chat.completions.create({ model: "echo", messages: ask("x") });
    clock = T0 + 3 * HOUR + 30 * 60_000; // 12:30

    const response = await admin(`/admin/usage/series?bucket=hour&since=${new Date(T0 + 10 * 60_000).toISOString()}`);
    expect(response.status).toBe(200);
    const usage = await readJson(response);
    expect(usage.since).toBe(new Date(T0).toISOString());
    expect(usage.until).toBe(new Date(T0 + 4 * HOUR).toISOString());
    expect(usage.buckets).toEqual([0, 1, 2, 3].map((i) => new Date(T0 + i * HOUR).toISOString()));
    const busySeries = usage.series.find((one: { key_id: string }) => one.key_id === busy.id);
    const quietSeries = usage.series.find((one: { key_id: string }) => one.key_id === quiet.id);
    // "echo: a b c" is 4 words for 3 prompt words, "echo: a" 2 for 1 (the fake counts words)
    expect(busySeries).toEqual({ key_id: busy.id, requests: [3, 0, 0, 0], denied: [1, 0, 0, 0], total_tokens: [3 + 4 + 1 + 2, 0, 0, 0] });
    expect(quietSeries).toEqual({ key_id: quiet.id, requests: [0, 0, 1, 0], denied: [0, 0, 0, 0], total_tokens: [0, 0, 3, 0] });

    const minutes = await readJson(admin(`/admin/usage/series?bucket=minute&since=${T0 + 5 * 60_000}&until=${T0 + 7 * 60_000}`));
    expect(minutes.buckets).toHaveLength(2);
    expect(minutes.series.find((one: { key_id: string }) => one.key_id === busy.id).requests).toEqual([3, 0]);
  });

  it("defaults to the last 24 hours and refuses bad parameters", async () => {
    const usage = await readJson(admin("/admin/usage/series"));
    expect(usage.bucket).toBe("hour");
    expect(usage.buckets).toHaveLength(24);
    for (const [query, param] of [["bucket=week", "bucket"], ["bucket=minute&since=0", "since"], ["since=yesterday", "since"], [`since=${clock}&until=${clock - HOUR}`, "since"]]) {
      const response = await admin(`/admin/usage/series?${query}`);
      expect(response.status, query).toBe(400);
      expect((await readJson(response)).error.param, query).toBe(param);
    }
    expect((await admin("/admin/usage/series", {}, "wrong")).status).toBe(401);
  });
});

describe("GET /admin/models", () => {
  it("tells white-box models (watermarked) from pass-through upstreams without loading them", async () => {
    const { data } = await readJson(admin("/admin/models"));
    const byName = Object.fromEntries(data.map((model: { model: string }) => [model.model, model]));
    expect(Object.keys(byName)).toEqual(["echo", "white", "atlas", "remote", "local"]);
    expect(byName.white).toMatchObject({ backend: "in-process", white_box: true, watermark: { enabled: true, scheme: "kgw", key_id: "wm_test" }, defences: [] });
    expect(byName.atlas).toMatchObject({ backend: "builtin", white_box: true, watermark: { enabled: true } });
    expect(byName.local).toMatchObject({ backend: "llama-cpp", white_box: true, watermark: { enabled: true } });
    expect(byName.echo).toMatchObject({ backend: "in-process", white_box: false, watermark: { enabled: false, scheme: null, key_id: null } });
    expect(byName.remote).toMatchObject({ backend: "http", white_box: false, watermark: { enabled: false } });
    expect(byName.remote.watermark.reason).toMatch(/cannot be watermarked/);
  });

  it("says so when the gateway has no watermark key", async () => {
    const bare = await startHarness({ white: fakeTokenModel() }, { watermark: null });
    try {
      const response = await fetch(`${bare.server.url}/admin/models`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
      const { data } = await readJson(response);
      expect(data[0]).toMatchObject({ model: "white", white_box: true, watermark: { enabled: false, scheme: null } });
      expect(data[0].watermark.reason).toMatch(/without a watermark key/);
    } finally {
      await bare.stop();
    }
  });

  it("reads the scheme from the gateway's key file", async () => {
    const { hook } = await loadWatermarkHook(join(mkdtempSync(join(tmpdir(), "pedigree-wm-")), "watermark.key"), "gumbel");
    expect(hook.scheme).toBe("gumbel");
  });
});

describe("GET /admin/status", () => {
  it("says whether the monitor is on", async () => {
    expect(await readJson(admin("/admin/status"))).toEqual({ monitor: false, metrics_token: false, models: 5 });
    const app = new Hono();
    app.onError((error) => errorResponse(error));
    addAdminRoutes(app, { ...harness.app.context, monitor: {} as never }, { adminKeySha256: sha256Hex(ADMIN_KEY), metricsTokenSha256: sha256Hex("scraper") });
    const response = await app.fetch(new Request("http://gateway/admin/status", { headers: { authorization: `Bearer ${ADMIN_KEY}` } }));
    expect(await readJson(response)).toMatchObject({ monitor: true, metrics_token: true });
    expect((await app.fetch(new Request("http://gateway/admin/status"))).status).toBe(401);
  });
});

describe("GET /admin", () => {
  it("serves the page without data, with a nonce-only script policy", async () => {
    const response = await fetch(`${harness.server.url}/admin`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const policy = response.headers.get("content-security-policy")!;
    const nonce = /script-src 'nonce-([^']+)'/.exec(policy)![1]!;
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("connect-src 'self'");
    const html = await response.text();
    expect(html.match(/<script[^>]*>/g)).toEqual([`<script nonce="${nonce}">`]);
    // Nothing is fetched from elsewhere (the one URL is the SVG namespace, a name, never loaded). The
    // nonce is base64 and may hold "//" itself, so it is taken out first.
    expect(html.replaceAll("http://www.w3.org/2000/svg", "").replaceAll(nonce, "")).not.toMatch(/https?:|\/\/[a-z]/i);
    const { data: keys } = await readJson(admin("/admin/keys"));
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(html).not.toContain(key.id);
    const again = await fetch(`${harness.server.url}/admin`);
    expect(again.headers.get("content-security-policy")).not.toContain(nonce);
  });
});
