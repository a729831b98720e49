import { describe, expect, it } from "vitest";
import { createProgressReporter, formatDuration, progressBar, progressLine, type HarvestProgress } from "./progress.js";

const state = (done: number, extra: Partial<HarvestProgress> = {}): HarvestProgress => ({
  done, total: 10, resumed: 0, promptTokens: 100, completionTokens: 50 * done, elapsedMs: 1000 * done, costUsd: null, ...extra,
});

describe("harvest progress", () => {
  it("shows done/total, tokens/s, ETA and cost", () => {
    expect(progressLine(state(4, { costUsd: 0.0123 }))).toBe("harvest 4/10 (40%)  50.0 tok/s  ETA 6s  $0.0123");
    expect(progressBar(state(5), 10)).toBe("█████░░░░░ 5/10  50.0 tok/s  ETA 5s");
    // Resumed rows count as done but not towards the speed behind the ETA.
    expect(progressLine(state(6, { resumed: 4, elapsedMs: 2000 }))).toMatch(/ETA 4s/);
    expect(formatDuration(3_725_000)).toBe("1h02m");
    expect(formatDuration(null)).toBe("--");
  });

  it("redraws one line on a TTY, prints throttled lines when piped, nothing with --json", () => {
    let time = 0;
    const out: string[] = [];
    const bar = createProgressReporter({ mode: "bar", write: (text) => out.push(text), now: () => time, width: 4 });
    bar.update(state(1));
    time = 50;
    bar.update(state(2)); // throttled
    time = 200;
    bar.update(state(3));
    bar.finish(state(10));
    expect(out).toHaveLength(3);
    expect(out.every((text) => text.startsWith("\r"))).toBe(true);
    expect(out.at(-1)!.endsWith("\n")).toBe(true);

    const lines: string[] = [];
    const plain = createProgressReporter({ mode: "lines", write: (text) => lines.push(text), now: () => time });
    plain.update(state(1));
    plain.update(state(2));
    plain.finish(state(10));
    expect(lines).toEqual([progressLine(state(1)) + "\n", progressLine(state(10)) + "\n"]);

    const silent: string[] = [];
    const none = createProgressReporter({ mode: "none", write: (text) => silent.push(text) });
    none.update(state(1));
    none.finish(state(10));
    expect(silent).toEqual([]);
  });

  it("says what it waits for and how many prompts failed, at once even inside the throttle", () => {
    const waiting = state(0, { waiting: { ms: 12_000, reason: "rate limit (retry-after)" }, failed: 1 });
    expect(progressLine(waiting)).toBe("harvest 0/10 (0%)  0.0 tok/s  ETA --  1 failed  waiting 12s for rate limit (retry-after)");
    expect(progressBar(waiting, 4)).toMatch(/ 0\/10 .*1 failed  waiting 12s for rate limit \(retry-after\)$/);
    const lines: string[] = [];
    const plain = createProgressReporter({ mode: "lines", write: (text) => lines.push(text), now: () => 0 });
    plain.update(state(0));
    plain.update(waiting);
    plain.update(state(0, { waiting: null }));
    plain.update(state(1));
    expect(lines.map((line) => line.includes("waiting"))).toEqual([false, true, false]);
  });
});
