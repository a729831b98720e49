// pedigree defend prepare: a fresh proxy trained with the teacher's tokenizer, a directory that loads
// and fits the teacher; an existing directory, a proxy with another tokenizer and stray options refused.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkDefenceFits, loadDefence } from "../../defend/index.js";
import { resolveModel } from "../../models/index.js";
import type { TokenModel } from "../../models/index.js";
import { runCli } from "../test-support/run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "pedigree-defend-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const data = join(dir, "held-out.jsonl");
const capitals = [["France", "Paris"], ["Japan", "Tokyo"], ["Italy", "Rome"], ["Spain", "Madrid"], ["Egypt", "Cairo"], ["Peru", "Lima"], ["Chile", "Santiago"], ["Kenya", "Nairobi"]];
writeFileSync(data, capitals.map(([country, city]) => JSON.stringify({ messages: [
  { role: "user", content: `What is the capital of ${country}?` }, { role: "assistant", content: `The capital of ${country} is ${city}.` },
] })).join("\n") + "\n");

describe("pedigree defend prepare", () => {
  it("trains a proxy of a size, computes g on the rows kept out, and writes a directory that fits the teacher", async () => {
    const out = join(dir, "defence");
    const run = await runCli(["defend", "prepare", "--teacher", "atlas", "--proxy", "tiny", "--proxy-steps", "3", "--data", data, "--out", out, "--json"]);
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json).toMatchObject({ kind: "antidistill", teacher: "atlas", proxy: { source: "trained:tiny" }, gradient: { examples: 2 }, proxy_training: { rows: 6 } });
    const atlas = (await resolveModel("atlas")) as TokenModel;
    const defence = await loadDefence(out);
    expect(() => checkDefenceFits(defence, atlas)).not.toThrow();
    await atlas.close?.();
    const again = await runCli(["defend", "prepare", "--teacher", "atlas", "--proxy", "tiny", "--proxy-steps", "3", "--data", data, "--out", out]);
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toMatch(/^error \[OUTPUT_EXISTS\]/);
  });

  it("refuses a proxy whose tokenizer is not the teacher's, and training options for a given proxy", async () => {
    const alien = await runCli(["defend", "prepare", "--teacher", "atlas", "--proxy", "indie", "--data", data, "--out", join(dir, "alien")]);
    expect(alien.exitCode).toBe(1);
    expect(alien.stderr).toMatch(/^error \[DEFENCE_MISMATCH\]: the proxy indie does not use the tokenizer of atlas \(same vocabulary size, other tokens\)/m);
    const stray = await runCli(["defend", "prepare", "--teacher", "atlas", "--proxy", "sage", "--proxy-steps", "3", "--data", data, "--out", join(dir, "stray")]);
    expect(stray.exitCode).toBe(2);
  });
});
