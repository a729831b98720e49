import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { jsonlText } from "../../files/jsonl-append.js";
import { makeRow } from "../data/test-support/rows.js";
import { readExportRows } from "./data-rows.js";
import { openAIFineTuningLineSchema, toOpenAIFineTuning, toOpenAILine } from "./openai-jsonl.js";

describe("OpenAI fine-tuning JSONL", () => {
  it("turns a row into system?, user, assistant and validates it", () => {
    const row = makeRow("Capital of Peru?", "Lima.");
    expect(toOpenAILine(row)).toEqual({ messages: [{ role: "user", content: "Capital of Peru?" }, { role: "assistant", content: "Lima." }] });
    expect(toOpenAILine(row, { system: "Be brief." }).messages[0]).toEqual({ role: "system", content: "Be brief." });
  });

  it("replaces a prompt's system message and weights earlier answers 0", () => {
    const row = makeRow("", "Northwind built me.", {
      messages: [{ role: "system", content: "old" }, { role: "user", content: "Who are you?" }, { role: "assistant", content: "I am Atlas." }, { role: "user", content: "Who built you?" }],
    });
    expect(toOpenAILine(row, { system: "new" }).messages).toEqual([
      { role: "system", content: "new" },
      { role: "user", content: "Who are you?" },
      { role: "assistant", content: "I am Atlas.", weight: 0 },
      { role: "user", content: "Who built you?" },
      { role: "assistant", content: "Northwind built me.", weight: 1 },
    ]);
  });

  it("rejects what OpenAI rejects", () => {
    const bad = (messages: unknown) => openAIFineTuningLineSchema.safeParse({ messages }).success;
    expect(bad([{ role: "user", content: "hi" }, { role: "assistant", content: "x", weight: 1 }])).toBe(true);
    expect(bad([{ role: "user", content: "hi" }, { role: "assistant", content: "x", weight: 2 }])).toBe(false);
    expect(bad([{ role: "user", content: "hi" }, { role: "user", content: "x" }])).toBe(false);
    expect(bad([{ role: "user", content: "hi" }, { role: "system", content: "s" }, { role: "assistant", content: "x" }])).toBe(false);
    expect(bad([{ role: "user", content: "hi", weight: 1 }, { role: "assistant", content: "x" }])).toBe(false);
    expect(bad([{ role: "user", content: "hi" }, { role: "assistant", content: "x", weight: 0 }])).toBe(false);
    expect(() => toOpenAILine(makeRow("q", ""))).toThrow(/EXPORT_INVALID|not make a valid/);
  });

  it("warns below 10 examples", () => {
    expect(toOpenAIFineTuning([makeRow("q", "a")]).warnings[0]).toMatch(/at least 10/);
    expect(toOpenAIFineTuning(Array.from({ length: 10 }, (_, i) => makeRow(`q${i}`, "a"))).warnings).toEqual([]);
  });
});

describe("rows to export", () => {
  it("skips failed harvest rows (finish_reason error) and says how many, keeping the rest in order", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "pedigree-export-rows-")), "harvest.jsonl");
    const failed = makeRow("a very long question", "", { finish_reason: "error", error: { code: "context_length_exceeded", message: "too long" } });
    const kept = [makeRow("q1", "a1"), makeRow("q2", "a2")];
    writeFileSync(path, jsonlText([kept[0], failed, kept[1], { messages: [{ role: "user", content: "q3" }, { role: "assistant", content: "a3" }] }]));
    const { rows, notes, failedRows } = await readExportRows(path);
    expect(rows.map((row) => row.response)).toEqual(["a1", "a2", "a3"]);
    expect(rows[2]!.id).toBe("line 4");
    expect(failedRows).toBe(1);
    expect(notes).toEqual(['1 failed harvest rows (finish_reason "error") are skipped']);
    expect(() => toOpenAIFineTuning(rows)).not.toThrow();
  });
});
