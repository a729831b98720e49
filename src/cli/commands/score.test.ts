import { describe, expect, it } from "vitest";
import { runCli } from "../test-support/run-cli.js";

describe("pedigree score", () => {
  it("counts in its perplexity line only the tokens it scored", async () => {
    const text = "The capital of France is Paris.";
    const json = JSON.parse((await runCli(["score", "--model", "atlas", "--text", text, "--top", "1", "--json"])).stdout);
    const scored = json.tokens.filter((token: { logprob: number | null }) => token.logprob !== null).length;
    expect(scored).toBe(json.tokens.length - 1);
    const human = await runCli(["score", "--model", "atlas", "--text", text, "--top", "1"]);
    expect(human.exitCode).toBe(0);
    expect(human.stdout).toMatch(new RegExp(`perplexity: [\\d.]+ over ${scored} predicted tokens \\(of ${json.tokens.length};`));
  });

  it("reports a missing --file and a negative --top as one usage line", async () => {
    const missing = await runCli(["score", "--model", "atlas", "--file", "no-such-file.txt"]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr.trim()).toBe("error [USAGE]: cannot read --file no-such-file.txt: no such file; give a readable text file or use --text");
    const negative = await runCli(["score", "--model", "atlas", "--text", "Paris", "--top", "-2"]);
    expect(negative.exitCode).toBe(2);
    expect(negative.stderr).toContain("--top must be 0 or more");
  });
});
