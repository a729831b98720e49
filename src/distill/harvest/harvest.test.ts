import { mkdtempSync, readFileSync, writeFileSync, appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ModelError } from "../../models/errors.js";
import { readJsonl } from "../data/jsonl-read.js";
import { harvestRowSchema, type HarvestRow } from "../data/row.js";
import { harvest } from "./harvest.js";
import { parsePriceTable } from "./price.js";
import { withUniqueIds } from "./prompts.js";
import { answerFor, createFakeTeacher, rateLimited } from "./test-support/fake-teacher.js";

const directory = mkdtempSync(join(tmpdir(), "pedigree-harvest-"));
let files = 0;
const freshPath = () => join(directory, `data-${++files}.jsonl`);
const questions = (n: number) => withUniqueIds(Array.from({ length: n }, (_, i) => ({ messages: [{ role: "user" as const, content: `question ${i}` }] })));
const noWait = { sleep: async () => undefined };

async function rowsOf(path: string): Promise<HarvestRow[]> {
  return (await readJsonl(path, harvestRowSchema)).rows;
}

describe("harvest", () => {
  it("writes one valid row per prompt with per-prompt seeds, usage and logprobs", async () => {
    const out = freshPath();
    const teacher = createFakeTeacher();
    const prompts = questions(5);
    const summary = await harvest({ model: teacher, teacher: "fake", prompts, out, seed: 100, topLogprobs: 3, temperature: 0.5, maxTokens: 32 });
    const rows = await rowsOf(out);
    expect(rows).toHaveLength(5);
    const byPrompt = new Map(rows.map((row) => [row.prompt_id, row]));
    prompts.forEach((prompt, index) => {
      const row = byPrompt.get(prompt.id)!;
      expect(row.params).toEqual({ temperature: 0.5, top_p: 1, max_tokens: 32, seed: 100 + index, top_logprobs: 3 });
      expect(row.response).toBe(answerFor({ messages: prompt.messages, seed: 100 + index }));
      expect(row.messages).toEqual(prompt.messages);
      expect(row.logprobs![0]!.top).toHaveLength(3);
      expect(row.logprobs![0]!.top[1]).toEqual({ token: "alt1", logprob: -3, id: 1001 });
      expect(row.token_ids).toHaveLength(row.logprobs!.length);
      expect(row.usage.total_tokens).toBe(row.usage.prompt_tokens + row.usage.completion_tokens);
    });
    expect(summary).toMatchObject({ prompts: 5, rows: 5, resumed: 0, failed: [], retries: 0, cost_usd: null });
    expect(summary.usage.completion_tokens).toBe(rows.reduce((sum, row) => sum + row.usage.completion_tokens, 0));
  });

  it("keeps at most `concurrency` requests in flight and uses them", async () => {
    const teacher = createFakeTeacher({ delayMs: 5 });
    await harvest({ model: teacher, teacher: "fake", prompts: questions(20), out: freshPath(), concurrency: 4 });
    expect(teacher.maxInFlight).toBe(4);
    const serial = createFakeTeacher({ delayMs: 1 });
    await harvest({ model: serial, teacher: "fake", prompts: questions(5), out: freshPath(), concurrency: 1 });
    expect(serial.maxInFlight).toBe(1);
  });

  it("a re-run gives the same rows (ids, seeds, answers)", async () => {
    const strip = (rows: HarvestRow[]) => rows.map(({ created: _created, ...rest }) => rest).sort((a, b) => a.id.localeCompare(b.id));
    const first = freshPath();
    const second = freshPath();
    await harvest({ model: createFakeTeacher({ delayMs: 2 }), teacher: "fake", prompts: questions(12), out: first, concurrency: 5, seed: 3 });
    await harvest({ model: createFakeTeacher(), teacher: "fake", prompts: questions(12), out: second, concurrency: 2, seed: 3 });
    expect(strip(await rowsOf(second))).toEqual(strip(await rowsOf(first)));
  });

  it("retries retryable errors and waits as long as Retry-After says", async () => {
    const delays: number[] = [];
    const teacher = createFakeTeacher({ fail: (call) => { if (call <= 2) throw rateLimited("3"); } });
    const summary = await harvest({
      model: teacher, teacher: "fake", prompts: questions(1), out: freshPath(),
      retry: { sleep: async (ms) => void delays.push(ms) },
    });
    expect(delays).toEqual([3000, 3000]);
    expect(summary).toMatchObject({ rows: 1, retries: 2 });
  });

  it("backs off exponentially when the server gives no Retry-After", async () => {
    const delays: number[] = [];
    const teacher = createFakeTeacher({ fail: (call) => { if (call <= 3) throw new ModelError("MODEL_API_ERROR", "503", { statusCode: 503 }); } });
    await harvest({ model: teacher, teacher: "fake", prompts: questions(1), out: freshPath(), retry: { baseDelayMs: 100, sleep: async (ms) => void delays.push(ms) } });
    expect(delays).toHaveLength(3);
    delays.forEach((delay, n) => {
      expect(delay).toBeGreaterThanOrEqual(100 * 2 ** n * 0.5);
      expect(delay).toBeLessThanOrEqual(100 * 2 ** n);
    });
  });

  it("stops on a non-retryable error, keeping finished rows, and resumes later", async () => {
    const out = freshPath();
    const prompts = questions(6);
    const broken = createFakeTeacher({ fail: (call) => { if (call === 4) throw new ModelError("MODEL_API_ERROR", "401 bad key", { statusCode: 401 }); } });
    await expect(harvest({ model: broken, teacher: "fake", prompts, out, concurrency: 1, retry: noWait })).rejects.toMatchObject({ code: "HARVEST_REQUEST_FAILED", message: /after 3 new rows.*run the same command again/ });
    expect(await rowsOf(out)).toHaveLength(3);
    const healthy = createFakeTeacher();
    const summary = await harvest({ model: healthy, teacher: "fake", prompts, out });
    expect(summary).toMatchObject({ resumed: 3, rows: 3 });
    expect(healthy.requests).toHaveLength(3);
    expect(new Set((await rowsOf(out)).map((row) => row.prompt_id)).size).toBe(6);
  });

  it("gives up after maxAttempts and skips prompts the server rejects as invalid", async () => {
    const always = createFakeTeacher({ fail: () => { throw rateLimited("0"); } });
    await expect(harvest({ model: always, teacher: "fake", prompts: questions(2), out: freshPath(), concurrency: 1, retry: { maxAttempts: 3, ...noWait } })).rejects.toMatchObject({ code: "HARVEST_REQUEST_FAILED" });
    expect(always.requests).toHaveLength(3);
    const picky = createFakeTeacher({ fail: (_call, request) => { if (request.messages[0]!.content === "question 1") throw new ModelError("MODEL_API_ERROR", "400 too long", { statusCode: 400 }); } });
    const summary = await harvest({ model: picky, teacher: "fake", prompts: questions(3), out: freshPath(), retry: noWait });
    expect(summary.rows).toBe(2);
    expect(summary.failed).toEqual([expect.objectContaining({ prompt_id: questions(3)[1]!.id, code: "MODEL_API_ERROR" })]);
  });

  it("resumes after a partial last line: cuts it off, skips done prompts, duplicates nothing", async () => {
    const out = freshPath();
    const prompts = questions(8);
    await harvest({ model: createFakeTeacher(), teacher: "fake", prompts: prompts.slice(0, 3), out });
    appendFileSync(out, '{"id":"r-partial","prompt_id":"p-');
    const notes: string[] = [];
    const teacher = createFakeTeacher();
    const summary = await harvest({ model: teacher, teacher: "fake", prompts, out, onNote: (message) => notes.push(message) });
    expect(summary).toMatchObject({ resumed: 3, rows: 5, truncated_line_removed: true });
    expect(notes.join("\n")).toMatch(/line 4 is incomplete/);
    expect(teacher.requests).toHaveLength(5);
    const rows = await rowsOf(out);
    expect(rows.map((row) => row.prompt_id).sort()).toEqual(prompts.map((prompt) => prompt.id).sort());
    expect(readFileSync(out, "utf8").endsWith("\n")).toBe(true);
  });

  it("stops asking once interrupted and keeps what it wrote", async () => {
    const out = freshPath();
    const controller = new AbortController();
    const teacher = createFakeTeacher({ fail: (call) => { if (call === 3) controller.abort(new Error("interrupted")); } });
    await expect(harvest({ model: teacher, teacher: "fake", prompts: questions(10), out, concurrency: 1, signal: controller.signal })).rejects.toMatchObject({ code: "HARVEST_INTERRUPTED", message: /after 3 new rows.*interrupted/ });
    expect(teacher.requests).toHaveLength(3);
    expect(await rowsOf(out)).toHaveLength(3);
  });

  it("says so when resuming a file made with other settings", async () => {
    const out = freshPath();
    await harvest({ model: createFakeTeacher(), teacher: "fake", prompts: questions(2), out, temperature: 0 });
    const notes: string[] = [];
    await harvest({ model: createFakeTeacher(), teacher: "fake", prompts: questions(3), out, temperature: 1, onNote: (message) => notes.push(message) });
    expect(notes.join("\n")).toMatch(/other settings \(temperature 0,.*now temperature 1/);
  });

  it("refuses to resume onto a file made by another teacher, asking nothing and changing nothing", async () => {
    const out = freshPath();
    await harvest({ model: createFakeTeacher(), teacher: "fake", prompts: questions(2), out });
    const before = readFileSync(out, "utf8");
    const other = createFakeTeacher();
    await expect(harvest({ model: other, teacher: "other", prompts: questions(3), out })).rejects.toMatchObject({
      code: "HARVEST_TEACHER_MISMATCH",
      message: /holds rows of another teacher \(2 from 'fake'\), not 'other'.*another --out.*--teacher fake/,
    });
    expect(other.requests).toHaveLength(0);
    expect(readFileSync(out, "utf8")).toBe(before);
  });

  it("estimates cost from a price table and reports progress", async () => {
    const seen: number[] = [];
    const summary = await harvest({
      model: createFakeTeacher(), teacher: "fake", prompts: questions(4), out: freshPath(),
      price: parsePriceTable("in=$1,out=2"), onProgress: (progress) => seen.push(progress.done),
    });
    expect(summary.cost_usd).toBeCloseTo((summary.usage.prompt_tokens * 1 + summary.usage.completion_tokens * 2) / 1e6, 12);
    expect(seen).toEqual([0, 1, 2, 3, 4]);
  });

  it("rejects a data file whose complete lines are malformed", async () => {
    const out = freshPath();
    writeFileSync(out, "{}\n");
    await expect(harvest({ model: createFakeTeacher(), teacher: "fake", prompts: questions(1), out })).rejects.toMatchObject({ code: "DATA_MALFORMED_LINE", message: /line 1/ });
  });
});
