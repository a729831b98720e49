import { describe, expect, it, vi } from "vitest";
import { chmod, mkdtemp, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../test-support/run-cli.js";
import { createRandom } from "../../random/index.js";
import { createWatermark, readKeyFile } from "../../watermark/index.js";
import { BigramModel } from "../../watermark/simulation/bigram-model.js";
import { generateTokens } from "../../watermark/simulation/generate.js";

// A white-box model whose tokenizer maps the word "w<id>" to token id <id>.
vi.mock("../model-options.js", async (importOriginal) => {
  const original = await importOriginal<typeof import("../model-options.js")>();
  const tokenizer = {
    vocabSize: 1024, bosId: null, eosId: 0, stopIds: [0],
    encode: (text: string) => text.split(/\s+/).filter(Boolean).map((word) => Number(word.slice(1))),
    decode: (ids: ArrayLike<number>) => Array.from(ids, (id) => `w${id}`).join(" "),
    tokenText: (id: number) => `w${id}`,
    applyChatTemplate: () => "", encodeChat: () => [],
  };
  const model = { id: "fake", tokenizer, nextDistributions: async () => [], generate: async () => { throw new Error("unused"); }, stream: () => { throw new Error("unused"); } };
  return { ...original, openModel: async () => model };
});

const words = (ids: ArrayLike<number>) => Array.from(ids, (id) => `w${id}`).join(" ");

describe("pedigree watermark", () => {
  it("keygen writes a 0600 key file and never prints the secret", async () => {
    const dir = await mkdtemp(join(tmpdir(), "wm-cli-"));
    const out = join(dir, "key.json");
    const run = await runCli(["watermark", "keygen", "--scheme", "kgw", "--gamma", "0.25", "--context", "2", "--out", out, "--json"]);
    expect(run.exitCode).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ scheme: "kgw", params: { gamma: 0.25, delta: 2, context: 2, hashing: "lefthash" } });
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    const secret = JSON.parse(await readFile(out, "utf8")).secret as string;
    expect(run.stdout + run.stderr).not.toContain(secret);
    expect(summary.key_id).toBe((await readKeyFile(out)).keyId);
    const again = await runCli(["watermark", "keygen", "--scheme", "kgw", "--out", out]);
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toMatch(/^error \[WATERMARK_KEY_EXISTS\]: .* already exists; pass --force/);
    expect((await readKeyFile(out)).keyId).toBe(summary.key_id);
    const forced = await runCli(["watermark", "keygen", "--scheme", "kgw", "--out", out, "--force", "--json"]);
    expect((await readKeyFile(out)).keyId).toBe(JSON.parse(forced.stdout).key_id);
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    expect((await runCli(["watermark", "keygen", "--scheme", "kgw", "--out", join(dir, "missing", "key.json")])).stderr).toMatch(/^error \[WATERMARK_KEY_WRITE_FAILED\]/);
    expect((await runCli(["watermark", "keygen", "--scheme", "rot13", "--out", join(dir, "x")])).exitCode).toBe(2);
  });

  it("detect prints the DESIGN.md JSON and separates watermarked from plain text", async () => {
    const dir = await mkdtemp(join(tmpdir(), "wm-cli-"));
    const out = join(dir, "key.json");
    expect((await runCli(["watermark", "keygen", "--scheme", "gumbel", "--out", out, "--tokenizer", "fake"])).exitCode).toBe(0);
    const watermark = createWatermark(await readKeyFile(out));
    const model = new BigramModel({ vocab: 1024, seed: 4 });
    const rng = createRandom(4);
    const marked = words(generateTokens(model, [1], 120, rng, [watermark.processor()]));
    const plain = words(generateTokens(model, [1], 120, rng));
    const run = await runCli(["watermark", "detect", "--key", out, "--text", marked, "--json"]);
    expect(run.exitCode).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(Object.keys(result)).toEqual(expect.arrayContaining(["scheme", "tokens", "scored", "statistic", "p_value", "log10_p"]));
    expect(result).toMatchObject({ scheme: "gumbel", tokens: 120 });
    expect(result.log10_p).toBeLessThan(-10);
    const plainRun = await runCli(["watermark", "detect", "--key", out, "--text", plain, "--json"]);
    expect(JSON.parse(plainRun.stdout).p_value).toBeGreaterThan(1e-3);
    const human = await runCli(["watermark", "detect", "--key", out, "--text", marked, "--prompt", marked]);
    expect(human.stdout).toMatch(/0 of 120 tokens scored/);
  });

  it("detect names a missing or unreadable --file with an error code, and warns when nothing was scored", async () => {
    const dir = await mkdtemp(join(tmpdir(), "wm-cli-"));
    const key = join(dir, "key.json");
    await runCli(["watermark", "keygen", "--scheme", "kgw", "--out", key, "--tokenizer", "fake"]);
    const missing = await runCli(["watermark", "detect", "--key", key, "--file", join(dir, "missing.txt")]);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toMatch(/^error \[INPUT_NOT_FOUND\]: no file at .*missing\.txt \(--file\); check the path\n$/);
    expect((await runCli(["watermark", "detect", "--key", key, "--file", dir])).stderr).toMatch(/^error \[INPUT_UNREADABLE\]: .* is a directory/);
    expect((await runCli(["watermark", "detect", "--key", join(dir, "nokey.json"), "--text", "w1"])).stderr).toMatch(/^error \[WATERMARK_KEY_NOT_FOUND\]/);
    expect((await runCli(["watermark", "detect", "--key", dir, "--text", "w1"])).stderr).toMatch(/^error \[WATERMARK_KEY_UNREADABLE\]/);
    expect((await runCli(["watermark", "detect", "--key", key, "--text", "w1", "--file", key])).exitCode).toBe(2);
    const text = join(dir, "text.txt");
    await writeFile(text, "w3 w5 w7 w9 w11");
    expect(JSON.parse((await runCli(["watermark", "detect", "--key", key, "--file", text, "--json"])).stdout)).toMatchObject({ tokens: 5 });
    const empty = await runCli(["watermark", "detect", "--key", key, "--text", "", "--json"]);
    expect(JSON.parse(empty.stdout)).toMatchObject({ tokens: 0, scored: 0, p_value: 1 });
    expect(empty.stderr).toMatch(/warning: no token was scored/);
  });

  it("warns once on stderr when the key file is readable by group or others", async () => {
    const dir = await mkdtemp(join(tmpdir(), "wm-cli-"));
    const key = join(dir, "key.json");
    await runCli(["watermark", "keygen", "--scheme", "kgw", "--out", key, "--tokenizer", "fake"]);
    const quiet = await runCli(["watermark", "detect", "--key", key, "--text", "w1 w2 w3", "--json"]);
    expect(quiet.stderr).not.toMatch(/warning/);
    await chmod(key, 0o644);
    const loud = await runCli(["watermark", "detect", "--key", key, "--text", "w1 w2 w3", "--json"]);
    expect(loud.exitCode).toBe(0);
    expect(loud.stderr.match(/warning: key file .* is readable by others \(mode 0644\).*chmod 600/g)).toHaveLength(1);
    // The same file read again in this process is not warned about twice.
    expect((await runCli(["watermark", "detect", "--key", key, "--text", "w1 w2 w3"])).stderr).not.toMatch(/readable by/);
  });

  it("detect without a tokenizer source is a usage error", async () => {
    const dir = await mkdtemp(join(tmpdir(), "wm-cli-"));
    const out = join(dir, "key.json");
    await runCli(["watermark", "keygen", "--scheme", "synthid", "--out", out]);
    const run = await runCli(["watermark", "detect", "--key", out, "--text", "w1 w2"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("--model");
  });
});
