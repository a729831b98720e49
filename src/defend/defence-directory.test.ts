// A defence is applied whole or refused: a directory prepared for another tokenizer or shape, a
// corrupt gradient file, or a proxy that does not share the teacher's tokenizer is a clear error.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openEngineModel } from "../models/builtin/index.js";
import { checkDefenceFits, GRADIENT_FILE, loadDefence, MANIFEST_FILE, PROXY_FILE } from "./defence-directory.js";
import { GRADIENT_MAGIC } from "./gradient-file.js";
import { prepareDefence } from "./prepare.js";
import { heldOut, tinyDefence, writeModel, type TinyDefence } from "./test-support/tiny-defence.js";

const dir = mkdtempSync(join(tmpdir(), "pedigree-defence-dir-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fixture: TinyDefence;
beforeAll(async () => {
  fixture = await tinyDefence(dir);
});

const otherTokenizer = { texts: ["a completely different corpus of words for another vocabulary", "zebra quartz jumps"], vocabSize: 300 };

describe("defence directory", () => {
  it("round-trips: the manifest, the proxy and g load and fit the teacher they were made for", async () => {
    const defence = await loadDefence(fixture.directory);
    expect(defence.manifest).toMatchObject({ kind: "antidistill", epsilon: 0.01, vocabSize: fixture.teacher.tokenizer.vocabSize });
    expect(defence.manifest.gradient.examples).toBe(heldOut.length);
    expect(defence.manifest.gradient.norm).toBeGreaterThan(0);
    expect(Buffer.from(readFileSync(join(fixture.directory, GRADIENT_FILE)).subarray(0, 4)).toString()).toBe(GRADIENT_MAGIC);
    expect(() => checkDefenceFits(defence, fixture.teacher)).not.toThrow();
  });

  it("is refused for a served model with another tokenizer or vocabulary", async () => {
    const defence = await loadDefence(fixture.directory);
    const other = await openEngineModel(writeModel(dir, "other.gguf", { seed: 3, ...otherTokenizer }));
    expect(() => checkDefenceFits(defence, other)).toThrow(expect.objectContaining({ code: "DEFENCE_MISMATCH", message: expect.stringMatching(/does not fit model/) }));
    const sameSize = await openEngineModel(writeModel(dir, "same-size.gguf", { seed: 3, texts: otherTokenizer.texts, vocabSize: fixture.teacher.tokenizer.vocabSize }));
    expect(() => checkDefenceFits(defence, sameSize)).toThrow(expect.objectContaining({ code: "DEFENCE_MISMATCH" }));
  });

  it("refuses at prepare a proxy without the teacher's tokenizer, and an existing directory without --force", async () => {
    const proxy = writeModel(dir, "alien-proxy.gguf", { seed: 4, ...otherTokenizer });
    await expect(prepareDefence({ teacher: fixture.teacher, proxyFile: proxy, proxySource: "alien", answers: heldOut, out: join(dir, "alien") }))
      .rejects.toMatchObject({ code: "DEFENCE_MISMATCH" });
    await expect(prepareDefence({ teacher: fixture.teacher, proxyFile: fixture.proxyPath, proxySource: "p", answers: heldOut, out: fixture.directory }))
      .rejects.toMatchObject({ code: "OUTPUT_EXISTS" });
    await expect(prepareDefence({ teacher: fixture.teacher, proxyFile: fixture.proxyPath, proxySource: "p", answers: [], out: join(dir, "empty") }))
      .rejects.toMatchObject({ code: "DEFENCE_BAD_DATA" });
  });

  it("refuses a directory whose files do not belong together or are damaged", async () => {
    const target = join(dir, "swapped");
    await prepareDefence({ teacher: fixture.teacher, proxyFile: fixture.proxyPath, proxySource: "p", answers: heldOut, out: target });
    // Another proxy shape dropped in beside g.
    copyFileSync(writeModel(dir, "wider.gguf", { layers: 1, width: 32, heads: 2, ff: 32, seed: 12 }), join(target, PROXY_FILE));
    await expect(loadDefence(target)).rejects.toMatchObject({ code: "DEFENCE_INVALID", message: expect.stringMatching(/parameters/) });
    copyFileSync(fixture.proxyPath, join(target, PROXY_FILE));
    const gradient = readFileSync(join(target, GRADIENT_FILE));
    writeFileSync(join(target, GRADIENT_FILE), gradient.subarray(0, gradient.length - 8));
    await expect(loadDefence(target)).rejects.toMatchObject({ code: "DEFENCE_INVALID", message: expect.stringMatching(/truncated/) });
    const badMagic = Buffer.from(gradient);
    badMagic.write("XXXX", 0);
    writeFileSync(join(target, GRADIENT_FILE), badMagic);
    await expect(loadDefence(target)).rejects.toMatchObject({ code: "DEFENCE_BAD_MAGIC" });
    const badVersion = Buffer.from(gradient);
    badVersion.writeUInt32LE(9, 4);
    writeFileSync(join(target, GRADIENT_FILE), badVersion);
    await expect(loadDefence(target)).rejects.toMatchObject({ code: "DEFENCE_BAD_VERSION" });
    await expect(loadDefence(join(dir, "nowhere"))).rejects.toMatchObject({ code: "DEFENCE_NOT_FOUND" });
  });
});
