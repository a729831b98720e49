import { chmodSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadWatermarkHook } from "./watermark-hook.js";

describe("loadWatermarkHook", () => {
  it("creates the key on first start, then warns when others can read it", async () => {
    const keyFile = join(mkdtempSync(join(tmpdir(), "pedigree-hook-")), "watermark.key");
    const first = await loadWatermarkHook(keyFile, "kgw");
    expect(first.note).toMatch(/created watermark key/);
    expect((await loadWatermarkHook(keyFile, "kgw")).note).toBeUndefined();
    chmodSync(keyFile, 0o644);
    const loose = await loadWatermarkHook(keyFile, "kgw");
    expect(loose.note).toMatch(/^warning: .*read/);
    expect(loose.hook.keyId).toBe(first.hook.keyId);
  });
});
