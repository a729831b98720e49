// pedigree keys and pedigree log, run in-process: JSON shapes, secrets shown once, verify naming the row.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../cli/test-support/run-cli.js";
import { openDatabase } from "./database.js";
import { ExchangeLog } from "./exchange-log.js";
import { loadConfigFile } from "./config.js";
import { entry } from "./test-support/temp-data.js";

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "pedigree-cli-"));
  const db = openDatabase(dir);
  const log = new ExchangeLog(db);
  await Promise.all(Array.from({ length: 5 }, (_, i) => log.append(entry(i + 1))));
  db.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("pedigree keys", () => {
  it("create --json shows the secret once; list never shows it; revoke marks it", async () => {
    const created = await runCli(["keys", "create", "--name", "team-a", "--models", "atlas,echo", "--rpm", "60", "--distillation", "--data", dir, "--json"]);
    expect(created.exitCode).toBe(0);
    const key = JSON.parse(created.stdout) as { id: string; name: string; key: string; policy: Record<string, unknown> };
    expect(key).toMatchObject({ id: expect.stringMatching(/^key_[0-9a-f]{16}$/), name: "team-a", key: expect.stringMatching(/^pdg-/) });
    expect(key.policy).toMatchObject({ models: ["atlas", "echo"], rpm: 60, watermark: true, distillation: true });
    const listed = await runCli(["keys", "list", "--data", dir, "--json"]);
    expect(listed.stdout).toContain(key.id);
    expect(listed.stdout).not.toContain(key.key);
    const revoked = await runCli(["keys", "revoke", key.id, "--data", dir, "--json"]);
    expect(JSON.parse(revoked.stdout)).toMatchObject({ id: key.id, revoked_at: expect.any(String) });
  });

  it("rejects a bad limit and an unknown id with one error line", async () => {
    expect(await runCli(["keys", "create", "--name", "x", "--rpm", "-3", "--data", dir])).toMatchObject({ exitCode: 2 });
    const missing = await runCli(["keys", "revoke", "key_nope", "--data", dir]);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toMatch(/^error \[KEY_NOT_FOUND\]/);
  });
});

describe("pedigree log", () => {
  it("verify passes, export writes JSONL, and an edited row makes verify fail naming it", async () => {
    expect(JSON.parse((await runCli(["log", "verify", "--data", dir, "--json"])).stdout)).toMatchObject({ ok: true, rows: 5, first_bad_row: null });
    const out = join(dir, "export.jsonl");
    const exported = await runCli(["log", "export", "--out", out, "--data", dir, "--json"]);
    expect(JSON.parse(exported.stdout)).toEqual({ rows: 5, out });
    const lines = readFileSync(out, "utf8").trim().split("\n").map((line) => JSON.parse(line) as { id: number; response: string });
    expect(lines.map((line) => line.id)).toEqual([1, 2, 3, 4, 5]);

    const db = openDatabase(dir);
    db.prepare("UPDATE exchanges SET completion_tokens = 99 WHERE id = 3").run();
    db.close();
    const broken = await runCli(["log", "verify", "--data", dir, "--json"]);
    expect(broken.exitCode).toBe(1);
    expect(JSON.parse(broken.stdout)).toMatchObject({ ok: false, rows: 2, first_bad_row: 3 });
    expect(broken.stderr).toMatch(/^error \[LOG_TAMPERED\]: .*row 3/);
  });

  it("says where it looked when there is no log", async () => {
    const run = await runCli(["log", "verify", "--data", join(dir, "nothing-here")]);
    expect(run.stderr).toMatch(/^error \[LOG_NOT_FOUND\]/);
  });
});

describe("config files", () => {
  it("validates YAML and JSON and names the bad field", () => {
    const yaml = join(dir, "gateway.yaml");
    writeFileSync(yaml, "port: 9000\nmodels:\n  teacher: atlas\nlog:\n  retention_days: 30\n");
    expect(loadConfigFile(yaml)).toMatchObject({ port: 9000, models: { teacher: "atlas" }, log: { retention_days: 30, durability: "process" }, limits: { body_bytes: 1 << 20 } });
    const json = join(dir, "gateway.json");
    writeFileSync(json, JSON.stringify({ limits: { body_bytes: "big" } }));
    expect(() => loadConfigFile(json)).toThrow(/field 'limits.body_bytes'/);
    writeFileSync(json, JSON.stringify({ prot: 1 }));
    expect(() => loadConfigFile(json)).toThrow(/prot/);
  });
});
