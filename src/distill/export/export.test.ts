import { describe, expect, it } from "vitest";
import { makeRow } from "../data/test-support/rows.js";
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
