// Training-order manifests end to end: atlas's committed manifest regenerates both of its stages with
// the recorded hashes, and its last stage gives the test's windows; a model trained by
// `pedigree train corpus` gets a manifest beside it that regenerates from its files; anything that no
// longer matches (a hash, a seed, a file, the teacher) is refused with AUDIT_ORDER_INVALID.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AuditError } from "../../audit/errors.js";
import { readGgufFile } from "../../engine/gguf/index.js";
import { tokenizerFromGguf } from "../../engine/tokenizer/index.js";
import { builtinModelPath } from "../../models/index.js";
import { runCli } from "../test-support/run-cli.js";
import { manifestHash, type OrderManifest } from "./order-manifest.js";
import { loadTeacherOrder, regenerateStage } from "./teacher-order.js";

const dir = mkdtempSync(join(tmpdir(), "pedigree-teacher-order-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const atlasManifestPath = builtinModelPath("atlas").replace(/\.gguf$/, ".order.json");
const atlasManifest = (): OrderManifest => JSON.parse(readFileSync(atlasManifestPath, "utf8"));
let copies = 0;

/** A copy of atlas's manifest, changed by `edit`, in the temporary directory (the model named by its full path). */
function editedManifest(edit: (manifest: OrderManifest) => void, rehash = true): string {
  const manifest = atlasManifest();
  manifest.model.file = builtinModelPath("atlas");
  edit(manifest);
  if (rehash) manifest.sha256 = manifestHash(manifest);
  const path = join(dir, `atlas-${++copies}.order.json`);
  writeFileSync(path, JSON.stringify(manifest));
  return path;
}

const refusal = (pattern: RegExp) => (error: unknown) => AuditError.isInstance(error) && error.code === "AUDIT_ORDER_INVALID" && pattern.test(error.message);

describe("atlas's training-order manifest", () => {
  it("regenerates both stages with the recorded hashes", async () => {
    const manifest = atlasManifest();
    expect(manifest.stages.map((stage) => [stage.name, stage.plan.seed, stage.slots])).toEqual([["atlas", 1101, 10400], ["atlas-focus", 1102, 2400]]);
    const tokenizer = tokenizerFromGguf((await readGgufFile(builtinModelPath("atlas"))).metadata);
    for (const index of [0, 1]) expect(regenerateStage(manifest, index, tokenizer, atlasManifestPath).order).toHaveLength(manifest.stages[index]!.slots);
  }, 60_000);

  it("gives each window of the last stage once, at the slot where it was last seen", async () => {
    const order = await loadTeacherOrder("atlas");
    expect(order.stage).toBe("atlas-focus");
    expect(order.examples).toHaveLength(1834);
    const positions = order.examples.map((example) => example.position);
    expect(positions.every((p, i) => i === 0 || p > positions[i - 1]!)).toBe(true);
    expect(positions[0]).toBeGreaterThanOrEqual(10400);
    expect(positions.at(-1)).toBe(10400 + 2400 - 1);
    expect(order.examples.filter((example) => example.text.includes("<|im_start|>assistant")).length).toBeGreaterThan(1500);
  });

  it("refuses a changed hash, a changed seed, a damaged file and a manifest of another teacher", async () => {
    await expect(loadTeacherOrder("atlas", editedManifest((m) => { m.stages[1]!.sha256 = "0".repeat(64); }))).rejects.toSatisfy(refusal(/does not match the manifest/));
    await expect(loadTeacherOrder("atlas", editedManifest((m) => { m.stages[1]!.plan.seed = 1103; }))).rejects.toSatisfy(refusal(/does not match/));
    await expect(loadTeacherOrder("atlas", editedManifest((m) => { m.stages[0]!.tokens = 1; }, false))).rejects.toSatisfy(refusal(/damaged/));
    await expect(loadTeacherOrder("atlas", editedManifest((m) => { (m.stages[1]!.data as { seed: string }).seed = "other"; }))).rejects.toSatisfy(refusal(/seeded 'atlas-2026-focus'/));
    await expect(loadTeacherOrder("indie", atlasManifestPath)).rejects.toSatisfy(refusal(/not of the teacher indie/));
    const notJson = join(dir, "not.order.json");
    writeFileSync(notJson, "{ not json");
    await expect(loadTeacherOrder("atlas", notJson)).rejects.toSatisfy(refusal(/not JSON/));
    writeFileSync(notJson, JSON.stringify({ ...atlasManifest(), version: 2 }));
    await expect(loadTeacherOrder("atlas", notJson)).rejects.toSatisfy(refusal(/version/));
  });

  it("says where to find a manifest when a teacher has none", async () => {
    await expect(loadTeacherOrder("openai:gpt-4o-mini")).rejects.toSatisfy(refusal(/--teacher-order FILE/));
    await expect(loadTeacherOrder(join(dir, "nowhere.gguf"))).rejects.toSatisfy(refusal(/looked for .*nowhere\.gguf\.order\.json/));
    await expect(loadTeacherOrder("atlas", join(dir, "missing.order.json"))).rejects.toSatisfy(refusal(/cannot read/));
  });
});

describe("the manifest of `pedigree train corpus`", () => {
  it("is written beside the model and regenerates from the corpus files; a changed file is refused", async () => {
    const corpusA = join(dir, "a.txt"), corpusB = join(dir, "b.txt"), out = join(dir, "corpus.gguf");
    writeFileSync(corpusA, "The capital of France is Paris. The capital of Spain is Madrid.\n".repeat(20));
    writeFileSync(corpusB, "The capital of Italy is Rome. The capital of Japan is Tokyo.\n".repeat(20));
    const run = await runCli(["train", "corpus", corpusA, corpusB, "--config", "tiny", "--vocab", "280", "--steps", "12", "--batch", "2", "--seq", "32", "--seed", "5", "--json", "--out", out]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).order).toBe(`${out}.order.json`);
    const order = await loadTeacherOrder(out);
    expect(order.manifest.stages[0]).toMatchObject({ name: "corpus", plan: { steps: 12, batch_size: 2, sequence_length: 32, seed: 5 }, slots: 24 });
    expect(order.manifest.stages[0]!.data).toMatchObject({ kind: "text-files", files: [{ path: "a.txt" }, { path: "b.txt" }] });
    expect(order.examples.length).toBeGreaterThan(1);
    expect(order.examples.at(-1)!.position).toBe(23);
    const original = readFileSync(corpusB);
    writeFileSync(corpusB, "Something else entirely.\n");
    await expect(loadTeacherOrder(out)).rejects.toSatisfy(refusal(/b\.txt is not the one the model was trained on/));
    writeFileSync(corpusB, original);
    const other = join(dir, "other.gguf");
    const again = await runCli(["train", "corpus", corpusA, "--config", "tiny", "--vocab", "280", "--steps", "1", "--seq", "16", "--out", other]);
    expect(again.exitCode, again.stderr).toBe(0);
    await expect(loadTeacherOrder(other, `${out}.order.json`)).rejects.toSatisfy(refusal(/describes the training of corpus\.gguf, not of the teacher/));
    copyFileSync(other, out);
    await expect(loadTeacherOrder(out)).rejects.toSatisfy(refusal(/not the model file/));
  }, 60_000);

  it("refuses to replace an existing manifest without --force", async () => {
    const corpus = join(dir, "c.txt"), out = join(dir, "kept.gguf");
    writeFileSync(corpus, "A short text to train on, again and again.\n".repeat(10));
    writeFileSync(`${out}.order.json`, "an earlier manifest\n");
    const refused = await runCli(["train", "corpus", corpus, "--config", "tiny", "--vocab", "280", "--steps", "1", "--seq", "16", "--out", out]);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/error \[OUTPUT_EXISTS\]: .*kept\.gguf\.order\.json/);
    expect(readFileSync(`${out}.order.json`, "utf8")).toBe("an earlier manifest\n");
    const forced = await runCli(["train", "corpus", corpus, "--config", "tiny", "--vocab", "280", "--steps", "1", "--seq", "16", "--force", "--out", out]);
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect((await loadTeacherOrder(out)).manifest.stages[0]!.slots).toBe(8);
  }, 60_000);
});
