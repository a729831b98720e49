// pedigree train corpus | student end to end (in-process): a model trained from text files that
// `score` and `chat` then run, with its training-order manifest beside it; a student trained on what
// `export --format openai-jsonl` writes; the earlier one-command forms; outputs never replaced
// without --force; options that would do nothing are refused with a usage error.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readGgufFile } from "../../engine/gguf/index.js";
import { writeTinyGguf } from "../../engine/test-support/tiny-gguf.js";
import { makeRow } from "../../distill/data/test-support/rows.js";
import { runCli } from "../test-support/run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "pedigree-train-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const corpusA = join(dir, "a.txt"), corpusB = join(dir, "b.txt");
writeFileSync(corpusA, "The capital of France is Paris. The capital of Spain is Madrid.\n".repeat(30));
writeFileSync(corpusB, "The capital of Italy is Rome. The capital of Japan is Tokyo.\n".repeat(30));
const harvest = join(dir, "harvest.jsonl");
writeFileSync(harvest, ["France", "Peru", "Japan", "Kenya", "Chile", "Egypt"].map((country) => JSON.stringify(makeRow(`Capital of ${country}?`, `It is the capital of ${country}.`))).join("\n") + "\n");
const tokenizer = join(dir, "tokenizer.gguf");
await writeTinyGguf(tokenizer, { seed: 2 });
const quickStudent = ["--student", "tiny", "--steps", "2", "--batch", "2", "--seq", "32"];
let outputs = 0;
const newOut = () => join(dir, `out-${++outputs}.gguf`);

describe("pedigree train corpus", () => {
  it("trains, exports, and the model scores and chats on the engine", async () => {
    const out = newOut();
    const trained = await runCli(["train", "corpus", corpusA, corpusB, "--config", "tiny", "--vocab", "300", "--steps", "30",
      "--batch", "4", "--seq", "64", "--lr", "0.01", "--type", "f16", "--json", "--out", out]);
    expect(trained.exitCode, trained.stderr).toBe(0);
    const summary = JSON.parse(trained.stdout);
    expect(summary).toMatchObject({ steps: 30, type: "f16", order: `${out}.order.json` });
    expect(JSON.parse(readFileSync(summary.order, "utf8"))).toMatchObject({ model: { file: basename(out) }, stages: [{ plan: { steps: 30, batch_size: 4, sequence_length: 64 } }] });
    expect(summary.parameters).toBeGreaterThan(10_000);
    expect(summary.final_loss).toBeLessThan(summary.first_loss - 1);
    const scored = await runCli(["score", "--model", out, "--text", "The capital of Italy is Rome.", "--top", "3", "--json"]);
    expect(scored.exitCode, scored.stderr).toBe(0);
    const score = JSON.parse(scored.stdout);
    expect(score.tokens.length).toBeGreaterThan(3);
    expect(score.perplexity).toBeLessThan(50);
    const chat = await runCli(["chat", "--model", out, "--temperature", "0", "--max-tokens", "5", "--json", "hello"]);
    expect(chat.exitCode, chat.stderr).toBe(0);
  });

  it("still runs the earlier form train --corpus FILES, and honours --accum", async () => {
    const run = await runCli(["train", "--corpus", corpusA, corpusB, "--config", "tiny", "--vocab", "280", "--steps", "2", "--batch", "2", "--seq", "16", "--accum", "3", "--json", "--out", newOut()]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/now `pedigree train corpus FILES`/);
    expect(JSON.parse(run.stdout).tokens_seen).toBe(2 * 3 * 2 * 16);
  });

  it("refuses an existing --out before training and keeps it; --force replaces it", async () => {
    const out = newOut();
    writeFileSync(out, "a data file, not a model\n");
    const refused = await runCli(["train", "corpus", corpusA, "--config", "tiny", "--vocab", "280", "--steps", "1", "--seq", "16", "--out", out]);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/error \[OUTPUT_EXISTS\]: .*--force/);
    expect(refused.stderr).not.toMatch(/training/);
    expect(readFileSync(out, "utf8")).toBe("a data file, not a model\n");
    const forced = await runCli(["train", "corpus", corpusA, "--config", "tiny", "--vocab", "280", "--steps", "1", "--seq", "16", "--force", "--out", out]);
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect((await readGgufFile(out)).metadata.get("general.name")).toMatchObject({ value: "pedigree" });
  });
});

describe("pedigree train student", () => {
  it("trains on the OpenAI fine-tuning JSONL that export writes, and writes the --type asked for", async () => {
    const finetune = join(dir, "finetune.jsonl");
    const exported = await runCli(["export", "--format", "openai-jsonl", "--data", harvest, "--out", finetune, "--system", "Be brief."]);
    expect(exported.exitCode, exported.stderr).toBe(0);
    const out = newOut();
    const run = await runCli(["train", "student", "--data", finetune, "--tokenizer", tokenizer, ...quickStudent, "--type", "f32", "--json", "--out", out]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ type: "F32", tokenizer, data: { examples: expect.any(Number) } });
    expect((await readGgufFile(out)).tensorInfo("blk.0.attn_q.weight")?.type).toBe("F32");
  });

  it("says which tokenizer it used when none is named: atlas's, not one trained on 6 rows", async () => {
    const run = await runCli(["train", "student", "--data", harvest, ...quickStudent, "--json", "--out", newOut()]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ tokenizer: "atlas", config: { vocabSize: 2048 } });
  });

  it("still runs the earlier form train --data FILE", async () => {
    const run = await runCli(["train", "--data", harvest, "--tokenizer", tokenizer, ...quickStudent, "--json", "--out", newOut()]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/now `pedigree train student --data`/);
  });

  it.each([
    [["--config", "atlas"], /--student SIZE/],
    [["--beta", "0.3"], /--beta is JSD's interpolation/],
    [["--temperature", "2"], /--temperature applies to kl, rkl and jsd/],
    [["--ce-weight", "0.5"], /--ce-weight mixes cross-entropy/],
    [["--teacher", "atlas"], /--teacher gives kl, rkl and jsd their targets/],
    [["--resume"], /--resume needs --checkpoint/],
    [["--checkpoint-every", "5"], /--checkpoint-every needs --checkpoint/],
    [["--loss", "jsd", "--warm-start", "kl:1.5"], /--warm-start must look like sft:0\.5/],
    [["--loss", "jsd", "--beta", "1.5"], /--beta <b>' argument '1\.5' is invalid\. Expected a number in \(0, 1\)/],
    [["--type", "f64"], /Allowed choices are f32, f16/],
    [["--loss", "ce"], /Allowed choices are sft, kl, rkl, jsd/],
    [["--steps", "-5"], /Expected an integer of at least 1/],
    [["--accum", "1.5"], /Expected an integer of at least 1/],
    [["--warmup", "5"], /--warmup 5 is more than --steps 2/],
    [["--threads", "100"], /--threads <n>' argument '100' is invalid\. Expected an integer from 1 to 64/],
    [["--threads", "0"], /Expected an integer from 1 to 64/],
  ])("refuses %j with a usage error", async (extra, message) => {
    const run = await runCli(["train", "student", "--data", harvest, "--tokenizer", tokenizer, ...quickStudent, ...extra, "--out", newOut()]);
    expect(run.stderr).toMatch(message);
    expect(run.exitCode).toBe(2);
  });

  it("refuses a tokenizer and a vocabulary together, and a tokenizer for a student that starts from a model", async () => {
    const both = await runCli(["train", "student", "--data", harvest, "--tokenizer", tokenizer, "--vocab", "300", ...quickStudent, "--out", newOut()]);
    expect(both.stderr).toMatch(/error \[TRAIN_BAD_OPTION\]: give either a tokenizer model/);
    const started = await runCli(["train", "student", "--data", harvest, ...quickStudent, "--student", tokenizer, "--tokenizer", "atlas", "--out", newOut()]);
    expect(started.stderr).toMatch(/error \[TRAIN_BAD_OPTION\]: a student that starts from .* keeps that model's tokenizer/);
  });

  it("needs a form: corpus or student", async () => {
    const run = await runCli(["train", "--out", join(dir, "x.gguf")]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/exactly one of --corpus FILES or --data FILE; better, use `pedigree train corpus/);
  });

  it("reports a corrupt GGUF file with a clear error code", async () => {
    const bad = join(dir, "bad.gguf");
    writeFileSync(bad, Buffer.from("GGUX not a model at all"));
    const run = await runCli(["score", "--model", bad, "--text", "hi"]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/error \[GGUF_BAD_MAGIC\]/);
  });
});
