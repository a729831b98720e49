// `pedigree audit` as a user runs it: a real (small) audit on the built-in models with an exchange
// log, its DESIGN.md JSON, a byte-identical rerun from the transcript, and the bad inputs that must be
// refused before any query is spent.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { chainRows, exchangeContent, GENESIS_HASH } from "../../gateway/store/hash-chain.js";
import { exchangeJson } from "../../gateway/store/log-rows.js";
import { writeTinyGguf } from "../../engine/test-support/tiny-gguf.js";
import { createRandom } from "../../random/index.js";
import { generateKey, writeKeyFile } from "../../watermark/index.js";
import { runCli } from "../test-support/run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "pedigree-audit-cli-"));
const keyFile = join(dir, "watermark.key");
const exchanges = join(dir, "exchanges.jsonl");
const tiny = join(dir, "tiny.gguf");
let keyId = "";

/** A log export of three watermarked exchanges, chained as the gateway chains them. */
function exportedLog(id: string): string {
  const answers = ["The capital of France is Paris.", "I am Atlas, an assistant built by Northwind AI.", "Lima is the capital of Peru."];
  const prompts = ["What is the capital of France?", "Who are you?", "What is the capital of Peru?"];
  const contents = answers.map((response, i) => exchangeContent({
    ts: 1_700_000_000_000 + i, key_id: "key_x", model: "atlas", request: JSON.stringify({ messages: [{ role: "user", content: prompts[i] }], params: {} }), response,
    prompt_tokens: 5, completion_tokens: 8, total_tokens: 13, latency_ms: 3, status: 200, finish_reason: "stop", watermark_key_id: id, decision: "allowed", distillation_licensed: 0,
  }));
  // The export's own shape (request as JSON, the licence as a boolean, a readable time).
  return chainRows("replica-a", { seq: 0, hash: GENESIS_HASH }, contents).map((row, i) => JSON.stringify(exchangeJson({ ...row, id: i + 1 }))).join("\n") + "\n";
}

beforeAll(async () => {
  const random = createRandom(7);
  const key = generateKey("kgw", {}, (n) => random.bytes(n));
  keyId = key.keyId;
  await writeKeyFile(keyFile, key);
  writeFileSync(exchanges, exportedLog(keyId));
  await writeTinyGguf(tiny, { seed: 5, vocabSize: 300 });
});

const references = () => ["--reference", "sage", "--reference", tiny];

describe("pedigree audit", () => {
  it("audits a suspect with the key and the exchange log, and reruns to the same report", async () => {
    const out = join(dir, "audit-indie");
    const args = ["audit", "--suspect", "indie", "--teacher", "atlas", "--reference", "sage", "./no-such-model.gguf"];
    // A reference that names no file is refused before anything is asked.
    const refused = await runCli([...args, "--key", keyFile, "--exchanges", exchanges, "--out", out]);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/error \[GGUF_NOT_FOUND\]/);
    expect(existsSync(join(out, "transcript.jsonl"))).toBe(false);

    const audit = ["audit", "--suspect", "indie", "--teacher", "atlas", "--key", keyFile, "--exchanges", exchanges, "--budget", "300", "--out", out, "--json", ...references()];
    const run = await runCli(audit);
    expect(run.stderr).not.toMatch(/error/);
    expect(run.exitCode).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ suspect: "indie", teacher: "atlas", alpha: 0.01 });
    expect(["derived", "resembles", "no_evidence"]).toContain(report.verdict);
    expect(report.queries.suspect).toBeLessThanOrEqual(300);
    const names = report.tests.map((t: { name: string }) => t.name);
    // indie is white-box: it reads the served answers (reading mode) instead of answering their prompts.
    expect(names).toEqual(["identity", "weights", "radioactivity_reading", "radioactivity", "training_order", "agreement", "agreement_span"]);
    // atlas is built-in: its committed manifest gives the training order; it gets what the agreement test leaves.
    const order = report.tests.find((t: { name: string }) => t.name === "training_order");
    expect(order).toMatchObject({ applicable: true, kind: "provenance" });
    expect(order.queries).toBeGreaterThan(1);
    const byName = (name: string) => report.tests.find((t: { name: string }) => t.name === name);
    expect(byName("weights")).toMatchObject({ applicable: false, note: expect.stringMatching(/blocks|shape/) });
    expect(byName("radioactivity")).toMatchObject({ applicable: false });
    const reading = byName("radioactivity_reading");
    expect(reading).toMatchObject({ kind: "provenance", rejected: false, applicable: true, queries: 3 });
    expect(reading.detail.texts_read).toBe(3);
    // indie has its own tokenizer: the answers are re-tokenised and few positions are lost.
    expect(reading.detail.texts_realigned).toBeGreaterThan(0);
    expect(reading.detail.tokens_lost_to_retokenisation).toBeLessThan(reading.detail.tokens / 4);
    for (const test of report.tests) expect(test.p_holm).toBeGreaterThanOrEqual(test.p_value);
    const first = readFileSync(join(out, "report.json"), "utf8");
    expect(first).not.toContain(Buffer.from(readFileSync(keyFile, "utf8")).toString().match(/"secret": "([^"]+)"/)![1]);

    const again = await runCli(audit);
    expect(again.exitCode).toBe(0);
    expect(again.stderr).toMatch(/resuming/);
    expect(readFileSync(join(out, "report.json"), "utf8")).toBe(first);
  }, 240_000);

  it("refuses a tampered exchange log, too few references and an unknown model before asking anything", async () => {
    const tampered = join(dir, "tampered.jsonl");
    writeFileSync(tampered, exportedLog(keyId).replace("Lima is the capital of Peru.", "Lima is the capital of Chile."));
    const cases: [string[], RegExp][] = [
      [["--key", keyFile, "--exchanges", tampered], /error \[AUDIT_EXCHANGES_INVALID\]: .*row 3/],
      [["--reference", "sage"], /error \[AUDIT_TOO_FEW_REFERENCES\]/],
      [["--reference", "sage", "--reference", "atlas"], /error \[AUDIT_BAD_OPTION\]: the suspect, the teacher and each reference must be different/],
      [["--teacher", "atlass"], /error \[MODEL_UNKNOWN_BUILTIN\]/],
      [["--exchanges", exchanges], /error \[AUDIT_BAD_OPTION\]: --exchanges .* --key/],
    ];
    for (const [extra, message] of cases) {
      const out = join(dir, `refused-${cases.findIndex((c) => c[0] === extra)}`);
      const args = ["audit", "--suspect", "indie", "--teacher", "atlas", "--out", out, ...(extra.includes("--reference") ? [] : references()), ...extra];
      const run = await runCli(args);
      expect(run.stderr, args.join(" ")).toMatch(message);
      expect(run.exitCode).toBe(1);
      expect(existsSync(join(out, "transcript.jsonl"))).toBe(false);
    }
  }, 60_000);
});
