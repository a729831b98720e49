import { describe, expect, it } from "vitest";
import { runCli } from "../test-support/run-cli.js";

describe("pedigree models", () => {
  it("says what the built-in models are good at beside their sizes", async () => {
    const run = await runCli(["models"]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/atlas\s+2\.83M params/);
    expect(run.stdout).toContain("good at world capitals and at their own identity, poor at anything");
    expect(run.stdout).toContain("--temperature 0");
  });
});
