// pedigree export end to end: OpenAI fine-tuning JSONL and GGUF files, --out kept unless --force.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { jsonlText } from "../../files/jsonl-append.js";
import { makeRow } from "../../distill/data/test-support/rows.js";
import { openAIFineTuningLineSchema } from "../../distill/export/openai-jsonl.js";
import { readGgufFile } from "../../engine/gguf/read.js";
import { tinyGguf } from "../../engine/test-support/tiny-gguf.js";
import { resolveModel } from "../../models/resolve.js";
import { runCli } from "../test-support/run-cli.js";

const directory = mkdtempSync(join(tmpdir(), "pedigree-export-"));

describe("pedigree export --format openai-jsonl", () => {
  it("pedigree export --format openai-jsonl writes valid lines from rows and from chat examples", async () => {
    const data = join(directory, "data.jsonl");
    const examples = [makeRow("q1", "a1"), { messages: [{ role: "user", content: "q2" }, { role: "assistant", content: "a2" }] }];
    writeFileSync(data, jsonlText(examples));
    const out = join(directory, "ft.jsonl");
    const run = await runCli(["export", "--format", "openai-jsonl", "--data", data, "--out", out, "--system", "You are helpful.", "--json"]);
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ format: "openai-jsonl", examples: 2, warnings: [expect.stringMatching(/at least 10/)] });
    const lines = readFileSync(out, "utf8").trim().split("\n").map((line) => JSON.parse(line));
    for (const line of lines) expect(openAIFineTuningLineSchema.safeParse(line).success).toBe(true);
    expect(lines[1]).toEqual({ messages: [{ role: "system", content: "You are helpful." }, { role: "user", content: "q2" }, { role: "assistant", content: "a2" }] });
    const human = await runCli(["export", "--format", "openai-jsonl", "--data", data, "--out", out, "--force"]);
    expect(human.stderr).toMatch(/warning: only 2 examples/);
  });

  it("leaves out harvested prompts that failed instead of exporting them as empty answers", async () => {
    const data = join(directory, "harvest-with-failure.jsonl");
    const failed = makeRow("a very long question", "", { finish_reason: "error", error: { code: "context_length_exceeded", message: "too long" } });
    writeFileSync(data, jsonlText([makeRow("q1", "a1"), failed, makeRow("q2", "a2")]));
    const out = join(directory, "ft-without-failure.jsonl");
    const run = await runCli(["export", "--format", "openai-jsonl", "--data", data, "--out", out, "--json"]);
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ examples: 2, warnings: expect.arrayContaining(['1 failed harvest rows (finish_reason "error") are skipped']) });
    const answers = readFileSync(out, "utf8").trim().split("\n").map((line) => JSON.parse(line).messages.at(-1).content);
    expect(answers).toEqual(["a1", "a2"]);
  });

  it("keeps an existing --out unless --force, and checks it before reading the data", async () => {
    const data = join(directory, "harvest.jsonl");
    writeFileSync(data, jsonlText(Array.from({ length: 3 }, (_, i) => makeRow(`q${i}`, `a${i}`))));
    const out = join(directory, "precious.jsonl");
    writeFileSync(out, "precious\n");
    const refused = await runCli(["export", "--format", "openai-jsonl", "--data", data, "--out", out]);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/^error \[OUTPUT_EXISTS\]: .*precious\.jsonl already exists; pass --force/);
    expect(readFileSync(out, "utf8")).toBe("precious\n");
    // The refusal comes first: a missing data file is not even opened.
    const early = await runCli(["export", "--format", "openai-jsonl", "--data", join(directory, "missing.jsonl"), "--out", out]);
    expect(early.stderr).toMatch(/OUTPUT_EXISTS/);
    expect((await runCli(["export", "--format", "openai-jsonl", "--data", data, "--out", out, "--force"])).exitCode).toBe(0);
    expect(readFileSync(out, "utf8").trim().split("\n")).toHaveLength(3);
    expect(readdirSync(directory).filter((name) => name.includes(".tmp"))).toEqual([]);
  });
});

describe("GGUF export", () => {
  it("re-exports a model through the engine's writer (F32 and F16); the F32 copy answers the same", async () => {
    const source = join(directory, "tiny.gguf");
    writeFileSync(source, tinyGguf({ seed: 3 }).bytes);
    const out = join(directory, "tiny-f32.gguf");
    const run = await runCli(["export", "--format", "gguf", "--model", source, "--out", out, "--json"]);
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toMatchObject({ format: "gguf", type: "F32", converted: {} });
    const [before, after] = [await readGgufFile(source), await readGgufFile(out)];
    expect(after.tensors.map((t) => t.name).sort()).toEqual(before.tensors.map((t) => t.name).sort());
    for (const tensor of before.tensors) expect(after.tensor(tensor.name)).toEqual(before.tensor(tensor.name));
    for (const [key, value] of before.metadata) if (key.startsWith("tokenizer.")) expect(after.metadata.get(key)).toEqual(value);

    const half = join(directory, "tiny-f16.gguf");
    const f16 = JSON.parse((await runCli(["export", "--format", "gguf", "--model", source, "--out", half, "--type", "f16", "--json"])).stdout);
    expect(f16.converted.F32).toBeGreaterThan(0);
    expect(f16.bytes).toBeLessThan(JSON.parse(run.stdout).bytes);

    const request = { messages: [{ role: "user" as const, content: "Paris is" }], maxTokens: 6, temperature: 0 };
    const [original, exported] = [await resolveModel(source), await resolveModel(out)];
    expect((await exported.generate(request)).text).toBe((await original.generate(request)).text);
  });

  it("keeps an existing --out model file unless --force", async () => {
    const source = join(directory, "tiny-source.gguf");
    writeFileSync(source, tinyGguf({ seed: 5 }).bytes);
    const out = join(directory, "data.jsonl");
    writeFileSync(out, "a data set that must survive\n");
    const refused = await runCli(["export", "--format", "gguf", "--model", source, "--out", out]);
    expect(refused.stderr).toMatch(/^error \[OUTPUT_EXISTS\]: .*--force/);
    expect(readFileSync(out, "utf8")).toBe("a data set that must survive\n");
    expect((await runCli(["export", "--format", "gguf", "--model", source, "--out", out, "--force"])).exitCode).toBe(0);
    expect((await readGgufFile(out)).tensors.length).toBeGreaterThan(0);
  });

  it("--type q8_0 on atlas: smaller than the F16 export, kept unless --force, and chat and score load it", async () => {
    const [half, q8] = [join(directory, "atlas-f16.gguf"), join(directory, "atlas-q8_0.gguf")];
    const f16 = JSON.parse((await runCli(["export", "--format", "gguf", "--model", "atlas", "--type", "f16", "--out", half, "--json"])).stdout);
    const run = await runCli(["export", "--format", "gguf", "--model", "atlas", "--type", "q8_0", "--out", q8, "--json"]);
    expect(run.stderr).toBe("");
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ format: "gguf", type: "Q8_0", converted: { F16: 43 }, bytes: readFileSync(q8).length });
    expect(summary.bytes).toBeLessThan(0.6 * f16.bytes);
    expect((await readGgufFile(q8)).tensors.filter((t) => t.type === "Q8_0")).toHaveLength(43);

    const before = readFileSync(q8);
    const refused = await runCli(["export", "--format", "gguf", "--model", "atlas", "--type", "q8_0", "--out", q8]);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/^error \[OUTPUT_EXISTS\]: .*atlas-q8_0\.gguf already exists; pass --force/);
    expect(readFileSync(q8).equals(before)).toBe(true);
    const human = await runCli(["export", "--format", "gguf", "--model", "atlas", "--type", "q8_0", "--out", q8, "--force"]);
    expect(human.exitCode).toBe(0);
    expect(human.stdout).toMatch(/wrote .*atlas-q8_0\.gguf: 56 tensors, 2828736 parameters, Q8_0, \d+ bytes \(converted 43 F16 tensors\)/);
    expect(readFileSync(q8).equals(before)).toBe(true); // the same model quantises to the same bytes

    const chat = await runCli(["chat", "--model", q8, "--temperature", "0", "--max-tokens", "8", "--json", "What is the capital of France?"]);
    expect(chat.exitCode).toBe(0);
    expect(JSON.parse(chat.stdout).text).toMatch(/Paris/);
    // Perplexity of one text under the F16 model, the Q8_0 copy on the engine and on llama.cpp.
    const text = "The capital of Peru is Lima. Atlas was built by Northwind AI, and it answers questions about countries.";
    const perplexity = async (model: string) => {
      const scored = await runCli(["score", "--model", model, "--text", text, "--top", "0", "--json"]);
      expect(scored.exitCode).toBe(0);
      return JSON.parse(scored.stdout).perplexity as number;
    };
    const [reference, engine, llama] = [await perplexity(half), await perplexity(q8), await perplexity(`llamacpp:${q8}`)];
    // Measured: 0.03% (engine) and 0.08% (llama.cpp, which also rounds its activations to Q8_0).
    expect(Math.abs(Math.log(engine / reference))).toBeLessThan(0.005);
    expect(Math.abs(Math.log(llama / reference))).toBeLessThan(0.005);
    expect(engine).not.toBe(reference);
  });

  it("refuses API models with a clear error", async () => {
    const run = await runCli(["export", "--format", "gguf", "--model", "openai:gpt-4o-mini", "--out", join(directory, "x.gguf")]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/^error \[EXPORT_UNSUPPORTED\]: 'openai:gpt-4o-mini' is an API model/);
  });
});
