// One prompt too long for the teacher fails only itself: a failed row with its reason, a note that
// names it, the run goes on, the summary counts it, and a rerun does not ask it again.
import { getEventListeners } from "node:events";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ModelError } from "../../models/errors.js";
import { harvest } from "./harvest.js";
import { withUniqueIds } from "./prompts.js";
import { createFakeTeacher } from "./test-support/fake-teacher.js";

const directory = mkdtempSync(join(tmpdir(), "pedigree-harvest-fail-"));
let files = 0;
const freshPath = () => join(directory, `data-${++files}.jsonl`);
const questions = (n: number) => withUniqueIds(Array.from({ length: n }, (_, i) => ({ messages: [{ role: "user" as const, content: `question ${i}` }] })));
const lines = (path: string) => readFileSync(path, "utf8").trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);

const overflowFromEngine = () => new ModelError("MODEL_CONTEXT_OVERFLOW", "the prompt has 300 tokens but atlas holds at most 256; shorten it");
// What the openai client's error looks like for OpenAI's (and the gateway's) answer.
const overflowFromApi = () => new ModelError("MODEL_API_ERROR", "http://api answered 400: maximum context length is 256 tokens", {
  statusCode: 400,
  cause: Object.assign(new Error("400"), { status: 400, code: "context_length_exceeded" }),
});

describe("harvest with a prompt too long for the teacher", () => {
  for (const [source, overflow] of [["a white-box teacher", overflowFromEngine], ["an OpenAI-compatible teacher", overflowFromApi]] as const) {
    it(`records it as a failed row and goes on (${source})`, async () => {
      const out = freshPath();
      const prompts = questions(4);
      const notes: string[] = [];
      const teacher = createFakeTeacher({ fail: (_call, request) => { if (request.messages[0]!.content === "question 1") throw overflow(); } });
      const summary = await harvest({ model: teacher, teacher: "fake", prompts, out, concurrency: 1, onNote: (note) => notes.push(note) });
      expect(summary).toMatchObject({ rows: 3, failures: 1, failed: [{ prompt_id: prompts[1]!.id, code: "context_length_exceeded", recorded: true }] });
      const failedRow = lines(out).find((row) => row.prompt_id === prompts[1]!.id)!;
      expect(failedRow).toMatchObject({ finish_reason: "error", response: "", teacher: "fake", error: { code: "context_length_exceeded", message: expect.stringMatching(/256/) } });
      expect(lines(out)).toHaveLength(4);
      expect(notes.join("\n")).toContain(`prompt ${prompts[1]!.id} ("question 1", 10 characters) failed`);

      const again = createFakeTeacher();
      const rerun = await harvest({ model: again, teacher: "fake", prompts, out, onNote: (note) => notes.push(note) });
      expect(again.requests).toHaveLength(0);
      expect(rerun).toMatchObject({ resumed: 4, rows: 0, failures: 0, failed_earlier: 1 });
      expect(notes.at(-1)).toMatch(/1 of them failed in an earlier run.*not asked again/);
    });
  }

  it("another rejected prompt is skipped without a row, so a rerun asks it again", async () => {
    const out = freshPath();
    const picky = createFakeTeacher({ fail: (_call, request) => { if (request.messages[0]!.content === "question 0") throw new ModelError("MODEL_API_ERROR", "400 bad stop", { statusCode: 400 }); } });
    const summary = await harvest({ model: picky, teacher: "fake", prompts: questions(2), out });
    expect(summary).toMatchObject({ rows: 1, failures: 1, failed: [{ code: "MODEL_API_ERROR", recorded: false }] });
    const again = createFakeTeacher();
    await harvest({ model: again, teacher: "fake", prompts: questions(2), out });
    expect(again.requests).toHaveLength(1);
  });

  it("leaves no abort listener on the run's signal, however many requests it makes", async () => {
    // Like the openai client: a listener on every request's signal, never removed.
    const leaky = createFakeTeacher({ fail: (_call, request) => void request.signal?.addEventListener("abort", () => undefined) });
    const controller = new AbortController();
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      await harvest({ model: leaky, teacher: "fake", prompts: questions(15), out: freshPath(), concurrency: 1, signal: controller.signal });
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("warning", onWarning);
    }
    expect(leaky.requests).toHaveLength(15);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
    expect(warnings.filter((warning) => warning.name === "MaxListenersExceededWarning")).toEqual([]);
  });
});
