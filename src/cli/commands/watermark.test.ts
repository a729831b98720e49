import { describe, expect, it, vi } from "vitest";
import { mkdtemp, readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../test-support/run-cli.js";
import { createPrng } from "../../stats/index.js";
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
    expect(again.stderr).toContain("KEY_EXISTS");
    expect((await runCli(["watermark", "keygen", "--scheme", "rot13", "--out", join(dir, "x")])).exitCode).toBe(2);
  });

  it("detect prints the DESIGN.md JSON and separates watermarked from plain text", async () => {
    const dir = await mkdtemp(join(tmpdir(), "wm-cli-"));
    const out = join(dir, "key.json");
    expect((await runCli(["watermark", "keygen", "--scheme", "gumbel", "--out", out, "--tokenizer", "fake"])).exitCode).toBe(0);
    const watermark = createWatermark(await readKeyFile(out));
    const model = new BigramModel({ vocab: 1024, seed: 4 });
    const rng = createPrng(4);
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

  it("detect without a tokenizer source is a usage error", async () => {
    const dir = await mkdtemp(join(tmpdir(), "wm-cli-"));
    const out = join(dir, "key.json");
    await runCli(["watermark", "keygen", "--scheme", "synthid", "--out", out]);
    const run = await runCli(["watermark", "detect", "--key", out, "--text", "w1 w2"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("--model");
  });
});
