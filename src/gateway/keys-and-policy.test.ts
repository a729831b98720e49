// Keys and their policies: hashed secrets, revocation, allow-lists, quotas, isolation between keys,
// admin endpoints, and the watermark hook on white-box backends only.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeUpstream, type FakeUpstream } from "./test-support/fake-upstream.js";
import { echoModel, fakeTokenModel } from "./test-support/fake-models.js";
import { ADMIN_KEY, startHarness, type Harness } from "./test-support/harness.js";
import { openDatabase } from "./store/sqlite/database.js";
import { SqliteKeys } from "./store/sqlite/sqlite-keys.js";
import { loadWatermarkHook, type WatermarkHook } from "./watermark-hook.js";

let harness: Harness;
let upstream: FakeUpstream;
let hook: WatermarkHook;
const white = fakeTokenModel();

beforeAll(async () => {
  upstream = await startFakeUpstream();
  hook = (await loadWatermarkHook(join(mkdtempSync(join(tmpdir(), "pedigree-wm-")), "wm.key"), "kgw")).hook;
  harness = await startHarness({ echo: echoModel(), white, upstream: `${upstream.baseURL}#up` }, { watermark: hook });
});
afterAll(async () => {
  await harness.stop();
  await upstream.close();
});

const ask = (client: OpenAI, model: string, content = "hi") => client.chat.completions.create({ model, messages: [{ role: "user", content }] });
const get = async (path: string, secret: string) => {
  const response = await fetch(`${harness.server.url}${path}`, { headers: { authorization: `Bearer ${secret}` } });
  return { status: response.status, text: await response.text() };
};

describe("keys", () => {
  it("stores only the secret's hash and never returns it", async () => {
    const { id, secret } = await harness.createKey("hashed");
    const stored = harness.db.prepare("SELECT * FROM keys WHERE id = ?").get(id) as Record<string, unknown>;
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(stored.secret_sha256).toMatch(/^[0-9a-f]{64}$/);
    const listed = await get("/admin/keys", ADMIN_KEY);
    expect(listed.status).toBe(200);
    expect(listed.text).toContain(id);
    expect(listed.text).not.toContain(secret);
    expect(listed.text).not.toContain(String(stored.secret_sha256));
  });

  it("a revoked key gets 401 at once", async () => {
    const { id, secret } = await harness.createKey("revoked");
    await ask(harness.client(secret), "echo");
    const revoke = await fetch(`${harness.server.url}/admin/keys/${id}/revoke`, { method: "POST", headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    expect(revoke.status).toBe(200);
    await expect(ask(harness.client(secret), "echo")).rejects.toMatchObject({ status: 401 });
  });

  it("a key revoked from another connection (another process's 'keys revoke') gets 401 on its next request", async () => {
    const { id, secret } = await harness.createKey("revoked-elsewhere");
    await ask(harness.client(secret), "echo");
    const other = openDatabase(harness.dir);
    try {
      await new SqliteKeys(other).revoke(id);
    } finally {
      other.close();
    }
    await expect(ask(harness.client(secret), "echo")).rejects.toMatchObject({ status: 401 });
    // A key created elsewhere works at once too (no stale "unknown key" in the cache).
    const fresh = openDatabase(harness.dir);
    const created = await new SqliteKeys(fresh).create("created-elsewhere");
    fresh.close();
    await expect(ask(harness.client(created.secret), "echo")).resolves.toMatchObject({ object: "chat.completion" });
  });

  it("revoking a revoked key is a 409 that says nothing changed", async () => {
    const { id } = await harness.createKey("twice");
    const revoke = () => fetch(`${harness.server.url}/admin/keys/${id}/revoke`, { method: "POST", headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    expect((await revoke()).status).toBe(200);
    const again = await revoke();
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: "api_key_already_revoked", message: expect.stringContaining("already revoked") });
  });

  it("a model outside the allow-list is 404 and missing from /v1/models; the denial is logged", async () => {
    const { id, secret } = await harness.createKey("narrow", { models: ["echo"] });
    await expect(ask(harness.client(secret), "white")).rejects.toMatchObject({ status: 404, code: "model_not_found" });
    expect((await harness.client(secret).models.list()).data.map((model) => model.id)).toEqual(["echo"]);
    const rows = harness.db.prepare("SELECT decision, status FROM exchanges WHERE key_id = ?").all(id);
    expect(rows).toEqual([{ decision: "denied:model_not_allowed", status: 404 }]);
  });

  it("a daily token quota gives 429 with Retry-After once used", async () => {
    const { secret } = await harness.createKey("quota", { dailyTokens: 5 });
    await ask(harness.client(secret), "echo", "a b c");
    const error = await ask(harness.client(secret), "echo").then(() => null, (caught: unknown) => caught as InstanceType<typeof OpenAI.APIError>);
    expect(error).toMatchObject({ status: 429, code: "insufficient_quota" });
    expect(Number(error!.headers?.get("retry-after"))).toBeGreaterThan(0);
  });

  it("tokens per minute are enforced", async () => {
    const { secret } = await harness.createKey("tpm", { tpm: 3 });
    await ask(harness.client(secret), "echo", "a b c");
    await expect(ask(harness.client(secret), "echo")).rejects.toMatchObject({ status: 429, code: "rate_limit_exceeded" });
  });
});

describe("isolation between keys", () => {
  it("a key sees only its own usage and exchanges, and no admin data", async () => {
    const alice = await harness.createKey("alice");
    const bob = await harness.createKey("bob");
    await ask(harness.client(alice.secret), "echo", "alice secret question");
    await ask(harness.client(bob.secret), "echo", "bob private words here");
    const aliceUsage = JSON.parse((await get("/v1/usage", alice.secret)).text) as Record<string, unknown>;
    expect(aliceUsage).toMatchObject({ key_id: alice.id, requests: 1, total_tokens: 3 + 4 });
    const aliceLog = (await get("/v1/exchanges", alice.secret)).text;
    expect(aliceLog).toContain("alice secret question");
    expect(aliceLog).not.toContain("bob");
    expect(aliceLog).not.toContain(bob.id);
    for (const path of ["/admin/keys", "/admin/usage", "/admin/log", "/admin/log/verify"]) expect((await get(path, alice.secret)).status).toBe(401);
    const all = JSON.parse((await get("/admin/usage", ADMIN_KEY)).text) as { data: { key_id: string }[] };
    expect(all.data.map((row) => row.key_id)).toEqual(expect.arrayContaining([alice.id, bob.id]));
  });
});

describe("watermark and licence on every exchange", () => {
  it("white-box backends get the processor; pass-through and licensed opted-out keys do not", async () => {
    const licensed = await harness.createKey("licensed", { distillation: true });
    const plain = await harness.createKey("plain", { watermark: false, distillation: true });
    const unlicensed = await harness.createKey("unlicensed");
    await ask(harness.client(licensed.secret), "white");
    expect(white.requests.at(-1)!.logitsProcessors).toHaveLength(1);
    await ask(harness.client(plain.secret), "white");
    expect(white.requests.at(-1)!.logitsProcessors).toBeUndefined();
    await ask(harness.client(licensed.secret), "upstream");
    await ask(harness.client(unlicensed.secret), "white");
    await expect(ask(harness.client(unlicensed.secret), "nope")).rejects.toMatchObject({ status: 404 });
    const rows = harness.db
      .prepare("SELECT key_id, model, watermark_key_id, distillation_licensed FROM exchanges WHERE key_id IN (?, ?, ?) ORDER BY id")
      .all(licensed.id, plain.id, unlicensed.id);
    expect(rows).toEqual([
      { key_id: licensed.id, model: "white", watermark_key_id: hook.keyId, distillation_licensed: 1 },
      { key_id: plain.id, model: "white", watermark_key_id: null, distillation_licensed: 1 },
      { key_id: licensed.id, model: "upstream", watermark_key_id: null, distillation_licensed: 1 },
      { key_id: unlicensed.id, model: "white", watermark_key_id: hook.keyId, distillation_licensed: 0 },
    ]);
  });

  it("an unlicensed key cannot turn the watermark off, and one stored that way is watermarked anyway", async () => {
    await expect(harness.createKey("sneaky", { watermark: false })).rejects.toThrow(expect.objectContaining({ code: "API_KEY_BAD_POLICY", message: expect.stringContaining("distillation") }));
    const legacy = await harness.createKey("legacy", { watermark: false, distillation: true });
    harness.db.prepare("UPDATE keys SET policy = ? WHERE id = ?").run(JSON.stringify({ watermark: false, distillation: false }), legacy.id);
    await ask(harness.client(legacy.secret), "white");
    expect(white.requests.at(-1)!.logitsProcessors).toHaveLength(1);
    const row = harness.db.prepare("SELECT watermark_key_id, distillation_licensed FROM exchanges WHERE key_id = ?").get(legacy.id);
    expect(row).toEqual({ watermark_key_id: hook.keyId, distillation_licensed: 0 });
  });

  it("the admin can verify the live log", async () => {
    expect(JSON.parse((await get("/admin/log/verify", ADMIN_KEY)).text)).toMatchObject({ ok: true, first_bad_row: null });
  });
});
