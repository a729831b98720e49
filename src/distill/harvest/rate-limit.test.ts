// Long Retry-After values (a spent daily quota) stop the harvest at once with the quota and its reset
// time, shorter ones are waited out in full and shown in the progress line. Clock and sleep are
// injected: nothing here waits for real time.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ModelError } from "../../models/errors.js";
import { readJsonl } from "../data/jsonl-read.js";
import { harvestRowSchema } from "../data/row.js";
import { harvest } from "./harvest.js";
import { progressLine, type HarvestProgress } from "./progress.js";
import { withUniqueIds } from "./prompts.js";
import { createFakeTeacher } from "./test-support/fake-teacher.js";

const directory = mkdtempSync(join(tmpdir(), "pedigree-harvest-wait-"));
let files = 0;
const freshPath = () => join(directory, `data-${++files}.jsonl`);
const questions = (n: number) => withUniqueIds(Array.from({ length: n }, (_, i) => ({ messages: [{ role: "user" as const, content: `question ${i}` }] })));
const midnightMinus = (seconds: number) => Date.parse("2025-03-02T00:00:00Z") - seconds * 1000;

function quotaSpent(retryAfterSeconds: number): ModelError {
  return new ModelError("MODEL_API_ERROR", `http://gateway answered 429: this key has used its daily quota of 1000 tokens; it resets at 00:00 UTC; retry after ${retryAfterSeconds} s`, {
    statusCode: 429,
    cause: { headers: new Headers({ "retry-after": String(retryAfterSeconds) }) },
  });
}

describe("harvest and Retry-After", () => {
  it("stops at once past --max-wait, naming the quota and its reset time; the rows done stay resumable", async () => {
    const out = freshPath();
    const prompts = questions(3);
    const slept: number[] = [];
    const spent = createFakeTeacher({ fail: (call) => { if (call >= 2) throw quotaSpent(14704); } });
    const run = harvest({
      model: spent, teacher: "fake", prompts, out, concurrency: 1, now: () => midnightMinus(14704),
      retry: { maxWaitMs: 5 * 60_000, sleep: async (ms) => void slept.push(ms) },
    });
    await expect(run).rejects.toMatchObject({
      code: "HARVEST_RATE_LIMITED",
      message: /^harvest stopped after 1 new rows \(1 of 3 in .*\): the teacher asks to wait 4h05m, until 2025-03-02T00:00:00Z, longer than --max-wait 5m00s \(.*daily quota of 1000 tokens.*\); .*run the same command again after that time to resume/,
    });
    expect(((await run.catch((error: unknown) => error)) as Error).message).not.toContain("\n");
    expect(slept).toEqual([]);
    expect(spent.requests).toHaveLength(2);
    expect((await readJsonl(out, harvestRowSchema)).rows).toHaveLength(1);

    const healthy = createFakeTeacher();
    const summary = await harvest({ model: healthy, teacher: "fake", prompts, out });
    expect(summary).toMatchObject({ resumed: 1, rows: 2 });
  });

  it("waits out a Retry-After under --max-wait in full, even past the backoff cap, and shows it in the progress line", async () => {
    const slept: number[] = [];
    const seenWhileWaiting: HarvestProgress[] = [];
    let last: HarvestProgress | undefined;
    const busy = createFakeTeacher({ fail: (call) => { if (call === 1) throw quotaSpent(120); } });
    const summary = await harvest({
      model: busy, teacher: "fake", prompts: questions(1), out: freshPath(), now: () => 0,
      onProgress: (progress) => void (last = progress),
      retry: { maxWaitMs: 10 * 60_000, maxDelayMs: 60_000, sleep: async (ms) => { slept.push(ms); seenWhileWaiting.push(last!); } },
    });
    expect(summary).toMatchObject({ rows: 1, retries: 1 });
    expect(slept).toEqual([120_000]);
    expect(seenWhileWaiting[0]!.waiting).toEqual({ ms: 120_000, reason: "rate limit (retry-after)" });
    expect(progressLine(seenWhileWaiting[0]!)).toMatch(/harvest 0\/1 \(0%\).*waiting 2m00s for rate limit \(retry-after\)$/);
    expect(last!.waiting).toBeNull();
  });

  it("a failure elsewhere in the pool ends the other requests' waits at once", async () => {
    // This sleep never ends by itself: only the run's stop signal can end it.
    const forever = (_ms: number, signal?: AbortSignal) => new Promise<void>((_resolve, reject) => signal?.addEventListener("abort", () => reject(signal.reason), { once: true }));
    const teacher = createFakeTeacher({
      fail: (_call, request) => {
        if (request.messages[0]!.content === "question 0") throw quotaSpent(30);
        throw new ModelError("MODEL_API_ERROR", "401 bad key", { statusCode: 401 });
      },
    });
    await expect(harvest({ model: teacher, teacher: "fake", prompts: questions(2), out: freshPath(), concurrency: 2, retry: { sleep: forever } }))
      .rejects.toMatchObject({ code: "HARVEST_REQUEST_FAILED", message: /401 bad key/ });
  });
});
