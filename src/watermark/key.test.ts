import { describe, expect, it } from "vitest";
import { mkdtemp, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { createRandom } from "../random/index.js";
import { createWatermark, generateKey, parseKey, readKeyFile, serializeKey, WatermarkError, writeKeyFile } from "./index.js";

const seeded = (seed: number) => {
  const rng = createRandom(seed);
  return (n: number) => rng.bytes(n);
};

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  await expect(promise).rejects.toSatisfy((error: unknown) => WatermarkError.isInstance(error) && error.code === code);
}

describe("watermark keys", () => {
  it("fills defaults, validates parameters and fingerprints the secret", () => {
    const key = generateKey("kgw", { gamma: 0.5 }, seeded(1));
    expect(key.params).toEqual({ gamma: 0.5, delta: 2, context: 1, hashing: "lefthash" });
    expect(key.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(generateKey("kgw", { gamma: 0.5 }, seeded(1)).keyId).toBe(key.keyId);
    expect(generateKey("kgw", {}, seeded(2)).keyId).not.toBe(key.keyId);
    expect(() => generateKey("kgw", { gamma: 1.5 })).toThrow(/gamma/);
    expect(() => generateKey("kgw", { context: 9 })).toThrow(/context/);
    expect(() => generateKey("synthid", { layers: 40 })).toThrow(/layers/);
    expect(generateKey("synthid").params).toEqual({ context: 4, layers: 30 });
  });

  it("never shows the secret in JSON, inspect or string form", () => {
    const key = generateKey("gumbel", {}, seeded(3));
    const secretBase64 = Buffer.from(key.exportSecret()).toString("base64");
    const secretHex = Buffer.from(key.exportSecret()).toString("hex");
    for (const shown of [JSON.stringify(key), inspect(key), String(key), inspect({ nested: key }, { depth: 5 }), JSON.stringify(createWatermark(key))]) {
      expect(shown).not.toContain(secretBase64);
      expect(shown).not.toContain(secretHex.slice(0, 16));
      expect(shown).not.toContain(secretHex.slice(0, 16).toUpperCase());
    }
    expect(JSON.parse(JSON.stringify(key)).secret).toBe("[redacted]");
  });

  it("round-trips through a key file written with mode 0600", async () => {
    const dir = await mkdtemp(join(tmpdir(), "wm-key-"));
    const path = join(dir, "key.json");
    const key = generateKey("synthid", { layers: 12 }, seeded(4), "atlas");
    await writeKeyFile(path, key);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const back = await readKeyFile(path);
    expect(back.keyId).toBe(key.keyId);
    expect(back.params).toEqual(key.params);
    expect(back.tokenizer).toBe("atlas");
    expect(Buffer.from(back.exportSecret())).toEqual(Buffer.from(key.exportSecret()));
    const text = await readFile(path, "utf8");
    expect(text.startsWith('{\n  "magic": "pedigree-watermark-key",\n  "version": 1')).toBe(true);
    await expectCode(writeKeyFile(path, key), "WATERMARK_KEY_EXISTS");
    await writeKeyFile(path, generateKey("kgw"), { overwrite: true });
    expect((await readKeyFile(path)).scheme).toBe("kgw");
  });

  it("rejects missing, foreign, future and damaged key files with stable codes", async () => {
    const dir = await mkdtemp(join(tmpdir(), "wm-key-"));
    await expectCode(readKeyFile(join(dir, "missing.json")), "WATERMARK_KEY_NOT_FOUND");
    await writeFile(join(dir, "foreign.json"), "{\"hello\": 1}");
    await expectCode(readKeyFile(join(dir, "foreign.json")), "WATERMARK_KEY_BAD_MAGIC");
    await writeFile(join(dir, "binary"), Buffer.from([0, 1, 2, 3]));
    await expectCode(readKeyFile(join(dir, "binary")), "WATERMARK_KEY_BAD_MAGIC");
    const good = JSON.parse(serializeKey(generateKey("kgw", {}, seeded(5))));
    await writeFile(join(dir, "future.json"), JSON.stringify({ ...good, version: 2 }));
    await expectCode(readKeyFile(join(dir, "future.json")), "WATERMARK_KEY_BAD_VERSION");
    await writeFile(join(dir, "bad-params.json"), JSON.stringify({ ...good, params: { ...good.params, gamma: 2 } }));
    await expectCode(readKeyFile(join(dir, "bad-params.json")), "WATERMARK_KEY_INVALID");
    const tampered = { ...good, secret: Buffer.alloc(32, 7).toString("base64") };
    expect(() => parseKey(JSON.stringify(tampered))).toThrow(/key_id/);
  });
});
