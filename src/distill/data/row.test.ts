// The harvest row schema keeps what readers need, including why a failed row has no answer.
import { describe, expect, it } from "vitest";
import { harvestRowSchema } from "./row.js";
import { makeRow } from "./test-support/rows.js";

describe("harvestRowSchema", () => {
  it("keeps the reason of a failed row (finish_reason error) instead of dropping it as an unknown key", () => {
    const failed = makeRow("a very long question", "", { finish_reason: "error", error: { code: "context_length_exceeded", message: "the prompt has 300 tokens" } });
    expect(harvestRowSchema.parse(JSON.parse(JSON.stringify(failed))).error).toEqual({ code: "context_length_exceeded", message: "the prompt has 300 tokens" });
    expect(harvestRowSchema.parse(makeRow("q", "a"))).not.toHaveProperty("error");
    expect(harvestRowSchema.safeParse({ ...failed, error: { code: 7 } }).success).toBe(false);
  });
});
