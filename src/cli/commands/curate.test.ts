// pedigree curate end to end: the clean file and its report, --out kept unless --force, the rewrite default.
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { jsonlText } from "../../files/jsonl-append.js";
import { readJsonl } from "../../distill/data/jsonl-read.js";
import { harvestRowSchema } from "../../distill/data/row.js";
import { makeRow } from "../../distill/data/test-support/rows.js";
import { runCli } from "../test-support/run-cli.js";

describe("pedigree curate", () => {
  it("pedigree curate --json writes the clean file and reports removals", async () => {
    const directory = mkdtempSync(join(tmpdir(), "pedigree-curate-"));
    const input = join(directory, "data.jsonl");
    const out = join(directory, "clean.jsonl");
    writeFileSync(input, jsonlText([makeRow("q1", "Paris."), makeRow("q1", "Paris."), makeRow("q2", "I am Atlas."), makeRow("q3", "")]));
    const run = await runCli(["curate", "--in", input, "--out", out, "--scrub-identity", "drop", "--identity", "Atlas", "--json"]);
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ rows_in: 4, rows_out: 1, removed: { exact_duplicate: 1, identity: 1, empty: 1 } });
    expect((await readJsonl(out, harvestRowSchema)).rows.map((row) => row.response)).toEqual(["Paris."]);
    const human = await runCli(["curate", "--in", input, "--out", out, "--force"]);
    expect(human.stdout).toMatch(/kept 2 of 4 rows[\s\S]*removed\s+1\s+exact duplicate/);
    expect((await runCli(["curate", "--in", input, "--out", out, "--identity", "Atlas"])).exitCode).toBe(2);
  });

  it("pedigree curate leaves out harvested prompts that failed (finish_reason error)", async () => {
    const directory = mkdtempSync(join(tmpdir(), "pedigree-curate-"));
    const input = join(directory, "data.jsonl");
    const out = join(directory, "clean.jsonl");
    const failed = makeRow("a very long question", "", { finish_reason: "error", error: { code: "context_length_exceeded", message: "too long" } });
    writeFileSync(input, jsonlText([makeRow("q1", "Paris."), failed, makeRow("q2", "Lima.")]));
    const run = await runCli(["curate", "--in", input, "--out", out, "--json"]);
    expect(JSON.parse(run.stdout)).toMatchObject({ rows_in: 3, rows_out: 2 });
    const rows = (await readJsonl(out, harvestRowSchema)).rows;
    expect(rows.map((row) => [row.response, row.finish_reason])).toEqual([["Paris.", "stop"], ["Lima.", "stop"]]);
  });

  it("pedigree curate keeps an existing --out unless --force, checked before reading the input", async () => {
    const directory = mkdtempSync(join(tmpdir(), "pedigree-curate-"));
    const input = join(directory, "data.jsonl");
    const rows = Array.from({ length: 100 }, (_, i) => makeRow(`q${i}`, `answer ${i}`));
    writeFileSync(input, jsonlText(rows));
    const inPlace = await runCli(["curate", "--in", input, "--out", input, "--min-chars", "100"]);
    expect(inPlace.exitCode).toBe(1);
    expect(inPlace.stderr).toMatch(/^error \[OUTPUT_EXISTS\]: .*data\.jsonl already exists; pass --force/);
    expect((await readJsonl(input, harvestRowSchema)).rows).toHaveLength(100);
    const early = await runCli(["curate", "--in", join(directory, "missing.jsonl"), "--out", input]);
    expect(early.stderr).toMatch(/OUTPUT_EXISTS/);
    expect((await runCli(["curate", "--in", input, "--out", input, "--near-dup-threshold", "1", "--force"])).exitCode).toBe(0);
    expect((await readJsonl(input, harvestRowSchema)).rows).toHaveLength(100);
    expect(readdirSync(directory)).toEqual(["data.jsonl"]);
  });

  it("pedigree curate --scrub-identity rewrite without --rewrite-as rewrites to the default named in --help", async () => {
    const directory = mkdtempSync(join(tmpdir(), "pedigree-curate-"));
    const input = join(directory, "data.jsonl");
    const out = join(directory, "clean.jsonl");
    writeFileSync(input, jsonlText([makeRow("Who are you?", "I am Atlas."), makeRow("Capital of Peru?", "Lima.")]));
    const run = await runCli(["curate", "--in", input, "--out", out, "--scrub-identity", "rewrite", "--identity", "Atlas", "--json"]);
    expect(JSON.parse(run.stdout)).toMatchObject({ rows_out: 2, rewritten: 1, removed: {} });
    expect((await readJsonl(out, harvestRowSchema)).rows.map((row) => row.response)).toEqual(["I am Assistant.", "Lima."]);
    const help = await runCli(["curate", "--help"]);
    expect(help.stdout + help.stderr).toMatch(/--rewrite-as <name>[\s\S]*default: "Assistant"/);
  });
});
