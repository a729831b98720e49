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
    expect(run.stderr).toContain("7/7");
    expect(run.exitCode).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.teacher).toMatchObject({ model: "atlas" });
    expect(summary.teacher.params).toBeGreaterThan(summary.student.params * 3);
    expect(summary.teacher.tasks.capitals).toBeGreaterThan(0.5);
    // The story's three verdicts: the student learned from atlas's outputs, the raw-corpus model only
    // resembles atlas (same data, no watermark), and the unrelated baseline shows nothing.
    expect(summary.student.audit.verdict).toBe("derived");
    expect(summary.student.radioactivity.p_value).toBeLessThan(1e-4);
    expect(summary.raw.audit.verdict).toBe("resembles");
    expect(summary.raw.audit.tests.radioactivity_reading).toMatchObject({ applicable: true, rejected: false });
    expect(summary.baseline.audit.verdict).toBe("no_evidence");
    expect(summary.harvest).toMatchObject({ rows: 400, log_rows: 400, log_ok: true });
  }, 300_000);
});
