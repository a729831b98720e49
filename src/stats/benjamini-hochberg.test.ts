import { describe, expect, it } from "vitest";
import { createRandom } from "../random/index.js";
import { benjaminiHochberg } from "./benjamini-hochberg.js";

describe("Benjamini–Hochberg", () => {
  it("matches R's p.adjust(method = 'BH')", () => {
    // p.adjust(c(0.01, 0.04, 0.03, 0.005), "BH") = 0.02 0.04 0.04 0.02
    const adjusted = benjaminiHochberg([0.01, 0.04, 0.03, 0.005]);
    [0.02, 0.04, 0.04, 0.02].forEach((value, i) => expect(adjusted[i]).toBeCloseTo(value, 12));
    expect(benjaminiHochberg([])).toEqual([]);
    expect(benjaminiHochberg([0.9, 1])).toEqual([1, 1]);
  });

  it("never adjusts a p-value below itself", () => {
    const rng = createRandom(3);
    const p = Array.from({ length: 50 }, () => rng.uniform53() ** 3);
    benjaminiHochberg(p).forEach((value, i) => expect(value).toBeGreaterThanOrEqual(p[i]!));
  });

  it("under the global null rejects anything at q = 0.1 at most 10% of the time", () => {
    const rng = createRandom("bh-null");
    let any = 0;
    const trials = 4000;
    for (let t = 0; t < trials; t++) {
      const p = Array.from({ length: 20 }, () => rng.uniform53());
      if (benjaminiHochberg(p).some((value) => value <= 0.1)) any++;
    }
    // FWER = FDR = q under the global null; 3 standard errors of slack.
    expect(any / trials).toBeLessThan(0.1 + 3 * Math.sqrt(0.09 / trials));
  });
});
