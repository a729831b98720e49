// The built-in models were trained on data drawn from this stream: pin it, so that a change to the
// generator shows up here and not as models that `npm run build:models` can no longer reproduce.
import { describe, expect, it } from "vitest";
import { createLegacyRandom } from "./legacy-random.js";

describe("the corpus builders' legacy mulberry32 stream", () => {
  it("gives the values the shipped models' data was drawn with", () => {
    const r = createLegacyRandom("atlas");
    expect([r.next(), r.next(), r.next()]).toEqual([0.3818635300267488, 0.012792466674000025, 0.2265828053932637]);
    expect(createLegacyRandom(1).fork("order").int(1000)).toBe(964);
    expect(createLegacyRandom("x").shuffle([0, 1, 2, 3, 4, 5, 6, 7])).toEqual([2, 5, 7, 6, 1, 4, 0, 3]);
    expect(createLegacyRandom("x").pick(["a", "b", "c"])).toBe("b");
  });
});
