// A harvest killed with SIGKILL mid-run loses no completed row, and the resumed run duplicates none.
// The child runs the real harvest code, bundled from source with esbuild (vite's own dependency).
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { readJsonl } from "../data/jsonl-read.js";
import { harvestRowSchema } from "../data/row.js";
import { harvest } from "./harvest.js";
import { withUniqueIds } from "./prompts.js";
import { createFakeTeacher } from "./test-support/fake-teacher.js";

const count = 150;

it("survives kill -9 mid-run: no lost row, no duplicate after resume", async () => {
  const directory = mkdtempSync(join(tmpdir(), "pedigree-crash-"));
  const child = join(directory, "crash-child.mjs");
  const { build } = await import("esbuild");
  await build({
    entryPoints: [fileURLToPath(new URL("./test-support/crash-child.ts", import.meta.url))],
    bundle: true, platform: "node", format: "esm", target: "node20", outfile: child, logLevel: "silent",
  });
  const out = join(directory, "data.jsonl");
  const process_ = spawn(process.execPath, [child, out, String(count)], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  let reported = 0;
  // Kill it once the child reports 20 rows written (no clock: its own progress is the trigger).
  let twentyWritten: () => void = () => undefined;
  const enoughRows = new Promise<void>((resolve) => (twentyWritten = resolve));
  process_.stdout.on("data", (chunk: Buffer) => {
    const numbers = chunk.toString().trim().split("\n").map(Number).filter(Number.isFinite);
    reported = Math.max(reported, ...numbers);
    if (reported >= 20) twentyWritten();
  });
  process_.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => process_.on("exit", (code, signal) => resolve({ code, signal })));
  await Promise.race([enoughRows, exited]);
  process_.kill("SIGKILL");
  const { signal } = await exited;
  expect(stderr).toBe("");
  expect(signal).toBe("SIGKILL");

  const before = await readJsonl(out, harvestRowSchema);
  expect(before.rows.length).toBeGreaterThanOrEqual(20);
  // Every row the child reported as written is on disk: none lost.
  expect(before.rows.length).toBeGreaterThanOrEqual(reported);
  expect(reported).toBeGreaterThan(0);
  expect(before.rows.length).toBeLessThan(count);
  expect(new Set(before.rows.map((row) => row.prompt_id)).size).toBe(before.rows.length);

  const prompts = withUniqueIds(Array.from({ length: count }, (_, i) => ({ messages: [{ role: "user" as const, content: `question ${i}` }] })));
  const teacher = createFakeTeacher();
  const summary = await harvest({ model: teacher, teacher: "fake", prompts, out, concurrency: 3, seed: 7, topLogprobs: 2 });
  expect(summary.resumed).toBe(before.rows.length);
  expect(teacher.requests).toHaveLength(count - before.rows.length);

  const after = await readJsonl(out, harvestRowSchema);
  expect(after.truncatedTail).toBeNull();
  expect(after.rows).toHaveLength(count);
  expect(new Set(after.rows.map((row) => row.prompt_id))).toEqual(new Set(prompts.map((prompt) => prompt.id)));
  // Rows written before the crash are untouched by the resume.
  expect(after.rows.slice(0, before.rows.length)).toEqual(before.rows);
});
