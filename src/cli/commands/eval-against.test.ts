import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeTinyGguf } from "../../engine/test-support/tiny-gguf.js";
import { runCli } from "../test-support/run-cli.js";

describe("pedigree eval --against", () => {
  it("a model against itself agrees everywhere, with zero KL and equal size", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pedigree-against-"));
    const path = join(dir, "m.gguf");
    await writeTinyGguf(path, { seed: 7 });
    const run = await runCli(["eval", "--model", path, "--against", path, "--task", "capitals", "--limit", "3", "--json"]);
    expect(run.exitCode).toBe(0);
    const { against } = JSON.parse(run.stdout);
    expect(against.agreement).toEqual({ exact: 1, f1: 1 });
    expect(against.kl_to_teacher).toBeLessThan(1e-6);
    expect(against.size_ratio).toBe(1);
  });

  it("two different models with one vocabulary disagree and have a positive KL", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pedigree-against-"));
    await writeTinyGguf(join(dir, "a.gguf"), { seed: 8 });
    await writeTinyGguf(join(dir, "b.gguf"), { seed: 9, layers: 1 });
    const run = await runCli(["eval", "--model", join(dir, "b.gguf"), "--against", join(dir, "a.gguf"), "--task", "identity", "--limit", "2", "--json"]);
    expect(run.exitCode).toBe(0);
    const { against } = JSON.parse(run.stdout);
    expect(against.kl_to_teacher).toBeGreaterThan(0.01);
    expect(against.agreement.exact).toBeLessThan(1);
    expect(against.size_ratio).toBeLessThan(1);
  });
});
