// `npm start -- --quick --json` as a user runs it: the built command in a child process, on the
// built-in models, ending with the DESIGN.md summary document and exit code 0.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCliProcess } from "../test-support/run-cli.js";

describe("npm start -- --quick", () => {
  it("tells the whole story on the built-in models and prints the summary as JSON", async () => {
    const data = mkdtempSync(join(tmpdir(), "pedigree-start-"));
    const run = await runCliProcess(["story", "--quick", "--json", "--data", data]);
    expect(run.stderr).toContain("6/6");
    expect(run.exitCode).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.teacher).toMatchObject({ model: "atlas" });
    expect(summary.teacher.params).toBeGreaterThan(summary.student.params * 3);
    expect(summary.teacher.tasks.capitals).toBeGreaterThan(0.5);
    for (const suspect of [summary.student, summary.baseline]) {
      expect(suspect.radioactivity.scored).toBeGreaterThan(0);
      expect(suspect.radioactivity.p_value_conservative).toBeGreaterThanOrEqual(suspect.radioactivity.p_value);
    }
    expect(summary.harvest).toMatchObject({ rows: 48, log_rows: 48, log_ok: true });
  }, 300_000);
});
