// pedigree train --corpus end to end (in-process): trains a tokenizer and a tiny model, writes a GGUF
// that `pedigree score` and `pedigree chat` then run on the engine; usage and file errors are clear.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../test-support/run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "pedigree-train-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("pedigree train --corpus", () => {
  it("trains, exports, and the model scores and chats on the engine", async () => {
    const a = join(dir, "a.txt"), b = join(dir, "b.txt"), out = join(dir, "model.gguf");
    writeFileSync(a, "The capital of France is Paris. The capital of Spain is Madrid.\n".repeat(30));
    writeFileSync(b, "The capital of Italy is Rome. The capital of Japan is Tokyo.\n".repeat(30));
    const trained = await runCli(["train", "--corpus", a, b, "--config", "tiny", "--vocab", "300", "--steps", "30",
      "--batch", "4", "--seq", "64", "--lr", "0.01", "--type", "f16", "--json", "--out", out]);
    expect(trained.exitCode, trained.stderr).toBe(0);
    const summary = JSON.parse(trained.stdout);
    expect(summary.parameters).toBeGreaterThan(10_000);
    expect(summary.steps).toBe(30);
    expect(summary.final_loss).toBeLessThan(summary.first_loss - 1);
    const scored = await runCli(["score", "--model", out, "--text", "The capital of Italy is Rome.", "--top", "3", "--json"]);
    expect(scored.exitCode, scored.stderr).toBe(0);
    const score = JSON.parse(scored.stdout);
    expect(score.tokens.length).toBeGreaterThan(3);
    expect(score.perplexity).toBeLessThan(50);
    const chat = await runCli(["chat", "--model", out, "--temperature", "0", "--max-tokens", "5", "--json", "hello"]);
    expect(chat.exitCode, chat.stderr).toBe(0);
  });

  it("needs exactly one of --corpus and --data", async () => {
    const run = await runCli(["train", "--out", join(dir, "x.gguf")]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/exactly one of --corpus/);
  });

  it("explains a malformed --warm-start", async () => {
    const data = join(dir, "rows.jsonl");
    writeFileSync(data, `${JSON.stringify({ id: "r1", prompt_id: "p1", messages: [{ role: "user", content: "Hi?" }], response: "Hello.", teacher: "t", params: { temperature: 0, top_p: 1, max_tokens: 8, seed: 0, top_logprobs: 0 }, usage: { prompt_tokens: 2, completion_tokens: 2, total_tokens: 4 }, finish_reason: "stop", created: "2026-01-01T00:00:00Z" })}\n`);
    const run = await runCli(["train", "--data", data, "--loss", "jsd", "--warm-start", "kl:1.5", "--out", join(dir, "y.gguf")]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/--warm-start must look like sft:0\.5/);
  });

  it("reports a corrupt GGUF file with a clear error code", async () => {
    const bad = join(dir, "bad.gguf");
    writeFileSync(bad, Buffer.from("GGUX not a model at all"));
    const run = await runCli(["score", "--model", bad, "--text", "hi"]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/error \[GGUF_BAD_MAGIC\]/);
  });
});
