// pedigree keys and pedigree log, run in-process: JSON shapes, secrets shown once, verify naming the row.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../test-support/run-cli.js";
import { openDatabase } from "../../gateway/store/sqlite/database.js";
import { SqliteStore } from "../../gateway/store/sqlite/sqlite-store.js";
import { PostgresStore } from "../../gateway/store/postgres/postgres-store.js";
import { describeWithServices, scratchDatabase, type ScratchDatabase } from "../../gateway/test-support/services.js";
import { entry } from "../../gateway/test-support/temp-data.js";

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "pedigree-cli-"));
  const store = new SqliteStore(openDatabase(dir));
  const log = await store.openWriter("replica-a");
  await Promise.all(Array.from({ length: 5 }, (_, i) => log.append(entry(i + 1))));
  await store.close();
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

  it("revoking twice says it was already revoked, with its own code, status and exit code", async () => {
    const key = JSON.parse((await runCli(["keys", "create", "--name", "twice", "--data", dir, "--json"])).stdout) as { id: string };
    const first = await runCli(["keys", "revoke", key.id, "--data", dir, "--json"]);
    expect([first.exitCode, JSON.parse(first.stdout).status]).toEqual([0, "revoked"]);
    const second = await runCli(["keys", "revoke", key.id, "--data", dir, "--json"]);
    expect(second.exitCode).toBe(1);
    expect(JSON.parse(second.stdout)).toMatchObject({ id: key.id, status: "already_revoked", revoked_at: JSON.parse(first.stdout).revoked_at });
    expect(second.stderr).toMatch(/^error \[API_KEY_ALREADY_REVOKED\]: .*already revoked/);
    const human = await runCli(["keys", "revoke", key.id, "--data", dir]);
    expect(human.stdout).not.toMatch(/^revoked/);
  });

  it("says there is no gateway data instead of creating a new directory; --init creates it", async () => {
    const empty = join(dir, "no-data-yet");
    for (const argv of [["keys", "list"], ["keys", "create", "--name", "x"], ["keys", "revoke", "key_x"]]) {
      const run = await runCli([...argv, "--data", empty]);
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toMatch(new RegExp(`^error \\[DATA_DIR_NOT_FOUND\\]: no gateway data in ${empty}`));
      expect(existsSync(empty)).toBe(false);
    }
    expect((await runCli(["keys", "create", "--name", "x", "--data", empty])).stderr).toContain("--init");
    const created = await runCli(["keys", "create", "--name", "x", "--init", "--data", empty, "--json"]);
    expect(created.exitCode).toBe(0);
    expect(JSON.parse((await runCli(["keys", "list", "--data", empty, "--json"])).stdout).keys).toHaveLength(1);
  });

  it("refuses --no-watermark without --distillation, and documents every policy field", async () => {
    const refused = await runCli(["keys", "create", "--name", "x", "--no-watermark", "--data", dir]);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/--no-watermark needs --distillation/);
    const licensed = await runCli(["keys", "create", "--name", "x", "--no-watermark", "--distillation", "--data", dir, "--json"]);
    expect(JSON.parse(licensed.stdout).policy).toMatchObject({ watermark: false, distillation: true });
    const help = await runCli(["keys", "create", "--help"]);
    for (const field of ["models", "rpm", "tpm", "dailyTokens", "watermark", "distillation"]) expect(help.stdout).toMatch(new RegExp(`^  ${field} `, "m"));
    expect(help.stdout).toContain("always");
  });

  it("rejects a bad limit and an unknown id with one error line", async () => {
    expect(await runCli(["keys", "create", "--name", "x", "--rpm", "-3", "--data", dir])).toMatchObject({ exitCode: 2 });
    const missing = await runCli(["keys", "revoke", "key_nope", "--data", dir]);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toMatch(/^error \[API_KEY_NOT_FOUND\]/);
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
    expect(JSON.parse(broken.stdout)).toMatchObject({ ok: false, rows: 2, first_bad_chain: "replica-a", first_bad_row: 3 });
    expect(broken.stderr).toMatch(/^error \[LOG_TAMPERED\]: .*chain replica-a at row 3/);
  });

  it("export refuses an existing --out without --force, and leaves no temporary file", async () => {
    const out = join(dir, "precious.jsonl");
    writeFileSync(out, "keep me\n");
    const refused = await runCli(["log", "export", "--out", out, "--data", dir]);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/^error \[OUTPUT_EXISTS\]: .*--force/);
    expect(readFileSync(out, "utf8")).toBe("keep me\n");
    const forced = await runCli(["log", "export", "--out", out, "--force", "--data", dir, "--json"]);
    expect(JSON.parse(forced.stdout)).toMatchObject({ rows: 5 });
    expect(readFileSync(out, "utf8").trim().split("\n")).toHaveLength(5);
    expect(readdirSync(dir).filter((name) => name.endsWith(".tmp"))).toEqual([]);
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });

  it("says where it looked when there is no log", async () => {
    const run = await runCli(["log", "verify", "--data", join(dir, "nothing-here")]);
    expect(run.stderr).toMatch(/^error \[LOG_NOT_FOUND\]/);
  });
});

await describeWithServices("pedigree keys and log on PostgreSQL", () => {
  let database: ScratchDatabase;
  let config: string;
  beforeAll(async () => {
    database = await scratchDatabase();
    config = join(dir, "postgres.yaml");
    writeFileSync(config, `storage:\n  postgres: ${database.url}\n`);
  });
  afterAll(() => database.drop());

  it("creates keys in the shared database and verifies every replica's chain", async () => {
    const created = JSON.parse((await runCli(["keys", "create", "--name", "shared", "--rpm", "60", "--config", config, "--json"])).stdout) as { id: string };
    expect(JSON.parse((await runCli(["keys", "list", "--config", config, "--json"])).stdout).keys.map((key: { id: string }) => key.id)).toEqual([created.id]);
    const store = await PostgresStore.open({ postgres: database.url });
    await Promise.all(["replica-1", "replica-2"].map(async (replica, r) => {
      const log = await store.openWriter(replica);
      await Promise.all([1, 2, 3].map((i) => log.append(entry(i * 2 + r))));
    }));
    await store.close();
    const verified = JSON.parse((await runCli(["log", "verify", "--config", config, "--json"])).stdout);
    expect(verified).toMatchObject({ ok: true, rows: 6, chains: [{ chain: "replica-1", rows: 3 }, { chain: "replica-2", rows: 3 }] });
    const out = join(dir, "postgres-export.jsonl");
    expect(JSON.parse((await runCli(["log", "export", "--out", out, "--config", config, "--json"])).stdout)).toEqual({ rows: 6, out });
    const rows = readFileSync(out, "utf8").trim().split("\n").map((line) => JSON.parse(line) as { chain: string; ts: number });
    expect(rows.map((row) => row.chain)).toEqual(["replica-1", "replica-2", "replica-1", "replica-2", "replica-1", "replica-2"]);
    const text = (await runCli(["log", "verify", "--config", config])).stdout;
    expect(text).toMatch(/^ok {6}replica-1: 3 rows, head [0-9a-f]{64}\nok {6}replica-2: 3 rows/);
  });
});
