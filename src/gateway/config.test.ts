// Gateway config files: YAML and JSON, defaults filled in, a bad field named.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { applyEnvironment, loadConfigFile } from "./config.js";

describe("config files", () => {
  it("validates YAML and JSON and names the bad field", () => {
    const dir = mkdtempSync(join(tmpdir(), "pedigree-config-"));
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

describe("storage settings", () => {
  it("reads storage and replica from the file, and PEDIGREE_DATABASE_URL / PEDIGREE_REDIS_URL / PEDIGREE_REPLICA over it", () => {
    const dir = mkdtempSync(join(tmpdir(), "pedigree-config-"));
    const yaml = join(dir, "gateway.yaml");
    writeFileSync(yaml, "replica: east-1\nstorage:\n  postgres: postgres://gw@db.internal/pedigree\n  redis: redis://cache.internal:6379\n");
    const config = loadConfigFile(yaml);
    expect(config).toMatchObject({ replica: "east-1", storage: { postgres: "postgres://gw@db.internal/pedigree", redis: "redis://cache.internal:6379", redis_prefix: "pedigree:" } });
    const env = { PEDIGREE_DATABASE_URL: "postgresql://other/db", PEDIGREE_REDIS_URL: "redis://other:6380", PEDIGREE_REPLICA: "west-2" };
    expect(applyEnvironment(config, env)).toMatchObject({ replica: "west-2", storage: { postgres: "postgresql://other/db", redis: "redis://other:6380" } });
    expect(config.replica).toBe("east-1");
    expect(() => applyEnvironment(config, { PEDIGREE_DATABASE_URL: "mysql://x" })).toThrow(/storage.postgres.*postgres:\/\//);
    writeFileSync(yaml, "replica: 'east 1'\n");
    expect(() => loadConfigFile(yaml)).toThrow(/field 'replica'/);
  });
});
