// Gateway config files: YAML and JSON, defaults filled in, a bad field named.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfigFile } from "./config.js";

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
