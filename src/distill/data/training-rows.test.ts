// What train reads: harvested rows and chat lines ({messages}, OpenAI fine-tuning JSONL), with
// assistant turns of weight 0 shown but not trained on.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { trainBpe, IM_END } from "../../engine/tokenizer/index.js";
import { rowsToExamples } from "../train/examples.js";
import { toOpenAILine } from "../export/openai-jsonl.js";
import { makeRow } from "./test-support/rows.js";
import { chatLineSchema, type ChatLine } from "./chat-line.js";
import { chatLineToTrainingRow, readTrainingRows } from "./training-rows.js";

const dir = mkdtempSync(join(tmpdir(), "pedigree-training-rows-"));
const tokenizer = trainBpe(["What is the capital of Peru? Lima. And of Chile? Santiago. Hello there."], { vocabSize: 300 });
const endOfTurn = tokenizer.encode(IM_END, { special: true })[0]!;

/** The texts of the target runs of an example (each trained turn with its end of turn). */
function trainedTexts(line: ChatLine): string[] {
  const { examples } = rowsToExamples([chatLineToTrainingRow(line, 1)], tokenizer, endOfTurn, { useLogprobs: false });
  const { tokens, lossMask } = examples[0]!;
  const runs: number[][] = [];
  let current: number[] | undefined;
  for (let i = 0; i < tokens.length; i++) {
    if (lossMask![i]) (current ??= []).push(tokens[i]!);
    else if (current) runs.push(current), (current = undefined);
  }
  if (current) runs.push(current);
  // The end of turn is a special token, which decode leaves out: show it as "|end".
  return runs.map((ids) => (ids.at(-1) === endOfTurn ? `${tokenizer.decode(ids.slice(0, -1))}|end` : tokenizer.decode(ids)));
}

describe("training rows from chat lines", () => {
  const conversation = (weights: (0 | 1 | undefined)[]): ChatLine => chatLineSchema.parse({
    messages: [
      { role: "system", content: "Be brief." },
      { role: "user", content: "What is the capital of Peru?" },
      { role: "assistant", content: "Lima.", ...(weights[0] === undefined ? {} : { weight: weights[0] }) },
      { role: "user", content: "And of Chile?" },
      { role: "assistant", content: "Santiago.", ...(weights[1] === undefined ? {} : { weight: weights[1] }) },
    ],
  });

  it("trains on every assistant turn without a weight, as OpenAI fine-tuning does", () => {
    expect(trainedTexts(conversation([undefined, undefined]))).toEqual(["Lima.|end", "Santiago.|end"]);
  });

  it("masks assistant turns with weight 0, wherever they are", () => {
    expect(trainedTexts(conversation([0, 1]))).toEqual(["Santiago.|end"]);
    const row = chatLineToTrainingRow(conversation([1, 0]), 7);
    expect(row).toMatchObject({ id: "line 7", response: "Lima." });
    expect(row.messages.map((m) => m.role)).toEqual(["system", "user"]);
    expect(trainedTexts(conversation([1, 0]))).toEqual(["Lima.|end"]);
  });

  it("tokenises a single answer exactly as a harvested row with the same prompt", () => {
    const harvested = makeRow("What is the capital of Peru?", "Lima.");
    const chat = chatLineToTrainingRow(chatLineSchema.parse({ messages: [...harvested.messages, { role: "assistant", content: "Lima." }] }), 1);
    const [a, b] = [harvested, chat].map((row) => rowsToExamples([row], tokenizer, endOfTurn, { useLogprobs: false }).examples[0]!);
    expect(b).toEqual(a);
  });

  it("gives earlier trained turns their own text as the target when other rows carry top-k", () => {
    const withTopK = makeRow("Hello there.", "Hello.", { logprobs: [{ token: "Hello", logprob: -0.1, top: [{ token: "Hello", logprob: -0.1 }] }] });
    const chat = chatLineToTrainingRow(conversation([undefined, undefined]), 1);
    const { examples, teacherK } = rowsToExamples([withTopK, chat], tokenizer, endOfTurn, { useLogprobs: true });
    expect(teacherK).toBe(1);
    const { tokens, lossMask, teacher } = examples[1]!;
    for (let i = 0; i < tokens.length; i++) expect(teacher!.ids[i]).toBe(lossMask![i] ? tokens[i] : -1);
  });

  it("refuses a line with nothing to train on and names the line", async () => {
    const path = join(dir, "none.jsonl");
    writeFileSync(path, `${JSON.stringify({ messages: [{ role: "user", content: "Hi" }, { role: "assistant", content: "Hello", weight: 0 }] })}\n`);
    await expect(readTrainingRows(path)).rejects.toThrow(/line 1 is malformed: field 'messages': no assistant message to train on/);
    writeFileSync(path, `${JSON.stringify({ messages: [{ role: "tool", content: "x" }] })}\n`);
    await expect(readTrainingRows(path)).rejects.toThrow(/line 1 is malformed: field 'messages\.0\.role'/);
  });
});

describe("readTrainingRows", () => {
  it("reads harvested rows, chat lines and the OpenAI lines export writes, and skips failed harvest rows", async () => {
    const path = join(dir, "mixed.jsonl");
    const multiTurn = makeRow("And of Chile?", "Santiago.", { messages: [{ role: "user", content: "Capital of Peru?" }, { role: "assistant", content: "Lima." }, { role: "user", content: "And of Chile?" }] });
    const lines = [
      makeRow("Capital of Peru?", "Lima."),
      makeRow("Broken?", "", { finish_reason: "error" }),
      { messages: [{ role: "user", content: "Hello there." }, { role: "assistant", content: "Hello." }], source: "identity" },
      toOpenAILine(multiTurn, { system: "Be brief." }),
    ];
    writeFileSync(path, lines.map((line) => JSON.stringify(line)).join("\n") + "\n");
    const data = await readTrainingRows(path);
    expect(data.failedRows).toBe(1);
    expect(data.notes).toEqual([expect.stringMatching(/1 failed harvest rows/)]);
    expect(data.rows.map((row) => row.response)).toEqual(["Lima.", "Hello.", "Santiago."]);
    // export marks the earlier answer with weight 0: it stays in the prompt, untrained
    expect(data.rows[2]).toMatchObject({ messages: [{ role: "system" }, { role: "user" }, { role: "assistant", content: "Lima." }, { role: "user" }] });
    expect(data.rows[2]!.trainedTurns).toBeUndefined();
  });
});
