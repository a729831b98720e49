// The product: p-values on unwatermarked text are uniform. 10,000 null texts (Brown corpus passages
// and unwatermarked bigram samples, 20–300 tokens), a fresh random key per text, for every scheme.
import { describe, it } from "vitest";
import { createRandom } from "../random/index.js";
import { createWatermark, generateKey, type SchemeName } from "./index.js";
import { expectCalibrated } from "./test-support/calibration.js";
import { nullTexts } from "./test-support/null-texts.js";

const TEXTS = nullTexts(10_000, 20261128);

const CASES: { label: string; scheme: SchemeName; params: Record<string, unknown> }[] = [
  { label: "kgw lefthash h=1 (default)", scheme: "kgw", params: {} },
  { label: "kgw selfhash h=4", scheme: "kgw", params: { hashing: "selfhash", context: 4 } },
  { label: "kgw minhash h=3 γ=0.5", scheme: "kgw", params: { hashing: "minhash", context: 3, gamma: 0.5 } },
  { label: "gumbel h=4", scheme: "gumbel", params: {} },
  { label: "synthid h=4 m=30", scheme: "synthid", params: {} },
];

describe("null p-values are uniform (10,000 texts, random keys)", () => {
  for (const { label, scheme, params } of CASES) {
    it(label, () => {
      const rng = createRandom(`null/${label}`);
      const pValues = TEXTS.map((ids) => createWatermark(generateKey(scheme, params, (n) => rng.bytes(n))).detectTokens(ids).p_value);
      expectCalibrated(pValues, label);
    });
  }

  it("the conservative p-value is never below the exact one and never rejects more often", () => {
    const rng = createRandom("conservative");
    let below = 0;
    let rejections = 0;
    for (const ids of TEXTS.slice(0, 3000)) {
      const result = createWatermark(generateKey("kgw", {}, (n) => rng.bytes(n))).detectTokens(ids);
      if (result.p_value_conservative < result.p_value) below++;
      if (result.p_value_conservative <= 0.01) rejections++;
    }
    if (below !== 0 || rejections > 45) throw new Error(`conservative p below exact ${below} times; ${rejections} rejections at 0.01`);
  });
});
