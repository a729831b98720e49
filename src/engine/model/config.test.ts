import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { llamaHyperParameters, readGgufFile } from "../gguf/index.js";
import { modelSize } from "./config.js";
import { parameterCount } from "./parameters.js";

const shipped = (name: string) => new URL(`../../../models/${name}`, import.meta.url);

describe("the named size atlas", () => {
  it("is the atlas that ships: the same shapes as the GGUF header of models/atlas.gguf", async () => {
    const header = llamaHyperParameters((await readGgufFile(shipped("atlas.gguf").pathname)).metadata);
    const { rmsEps, ropeBase, tiedOutput: _tied, ...shapes } = modelSize("atlas");
    expect(shapes).toEqual({
      contextLength: header.contextLength, embeddingLength: header.embeddingLength, blockCount: header.blockCount,
      headCount: header.headCount, headCountKv: header.headCountKv, feedForwardLength: header.feedForwardLength,
    });
    expect(rmsEps).toBeCloseTo(header.rmsEps, 10);
    expect(ropeBase).toBe(header.ropeBase);
  });

  it("has the parameter count on the model card", () => {
    const card = JSON.parse(readFileSync(shipped("atlas.json"), "utf8")) as { params: number; config: { vocabSize: number; tiedOutput: boolean } };
    expect(modelSize("atlas").tiedOutput).toBe(card.config.tiedOutput);
    expect(parameterCount({ ...modelSize("atlas"), vocabSize: card.config.vocabSize })).toBe(card.params);
  });
});
