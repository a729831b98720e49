// Key files on disk: written atomically with mode 0600, never replaced without asking, and a warning
// when an existing key can be read by other users.
import { chmod, link, mkdir, mkdtemp, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createRandom } from "../random/index.js";
import { generateKey, readKeyFile, serializeKey, WatermarkError, writeKeyFile } from "./index.js";

const seeded = (seed: number) => {
  const rng = createRandom(seed);
  return (n: number) => rng.bytes(n);
};

const codeOf = (promise: Promise<unknown>) => promise.then(() => "resolved", (error: unknown) => (WatermarkError.isInstance(error) ? error.code : String(error)));

describe("key files", () => {
  it("are written whole through a temporary file and a rename, mode 0600 even over a 0644 file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "wm-key-file-"));
    const path = join(dir, "key.json");
    const first = generateKey("kgw", {}, seeded(1));
    await writeKeyFile(path, first);
    await chmod(path, 0o644);
    await link(path, join(dir, "old.json"));
    const second = generateKey("gumbel", {}, seeded(2));
    await writeKeyFile(path, second, { overwrite: true });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await readKeyFile(path)).keyId).toBe(second.keyId);
    // Replaced by rename, not truncated in place: the old file's inode still holds the old key whole.
    expect(JSON.parse(await readFile(join(dir, "old.json"), "utf8")).key_id).toBe(first.keyId);
    expect((await readdir(dir)).sort()).toEqual(["key.json", "old.json"]);
  });

  it("refuse to replace a key without overwrite, naming --force, and report failed writes with a code", async () => {
    const dir = await mkdtemp(join(tmpdir(), "wm-key-file-"));
    const path = join(dir, "key.json");
    await writeFile(path, "precious");
    await expect(writeKeyFile(path, generateKey("kgw", {}, seeded(3)))).rejects.toThrow(/already exists; pass --force/);
    expect(await readFile(path, "utf8")).toBe("precious");
    expect(await codeOf(writeKeyFile(join(dir, "no-such-dir", "key.json"), generateKey("kgw", {}, seeded(3))))).toBe("WATERMARK_KEY_WRITE_FAILED");
  });

  it("warn when group or others can read the key, and say which error a directory is", async () => {
    const dir = await mkdtemp(join(tmpdir(), "wm-key-file-"));
    const path = join(dir, "key.json");
    await writeFile(path, serializeKey(generateKey("kgw", {}, seeded(4))), { mode: 0o600 });
    await chmod(path, 0o600);
    const warnings: string[] = [];
    await readKeyFile(path, { onWarning: (message) => warnings.push(message) });
    expect(warnings).toEqual([]);
    await chmod(path, 0o644);
    await readKeyFile(path, { onWarning: (message) => warnings.push(message) });
    expect(warnings).toEqual([expect.stringMatching(/readable by others \(mode 0644\).*chmod 600/)]);
    await chmod(path, 0o640);
    await readKeyFile(path, { onWarning: (message) => warnings.push(message) });
    expect(warnings[1]).toMatch(/readable by its group \(mode 0640\)/);
    await mkdir(join(dir, "a-directory"));
    expect(await codeOf(readKeyFile(join(dir, "a-directory")))).toBe("WATERMARK_KEY_UNREADABLE");
  });
});
