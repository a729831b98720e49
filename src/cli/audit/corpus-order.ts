// The training-order manifest of a model trained by `pedigree train corpus`: written beside the model
// as <out>.order.json, so that an audit with this model as the teacher can run the training-order
// test. It names the text files (relative to the manifest, with their hashes), the model file whose
// tokenizer tokenised them, and the plan as run (the updates actually done, if training was stopped).
import { readFileSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import type { BpeTokenizer } from "../../engine/tokenizer/index.js";
import { writeOutputFile } from "../../files/index.js";
import { fileEntry, packTexts, sha256Hex } from "./order-data.js";
import { buildManifest, describeStage, manifestText, type OrderManifest, type StagePlan } from "./order-manifest.js";

export function orderManifestPath(modelPath: string): string {
  return `${modelPath}.order.json`;
}

export interface CorpusOrderInput {
  /** The model file just written. */
  modelPath: string;
  files: readonly string[];
  /** The files' texts, as trained on. */
  texts: readonly string[];
  tokenizer: BpeTokenizer;
  plan: Omit<StagePlan, "layout">;
  force?: boolean;
}

export function writeCorpusOrder(input: CorpusOrderInput): { path: string; manifest: OrderManifest } {
  const path = orderManifestPath(input.modelPath);
  const base = dirname(resolve(path));
  const files = input.files.map((file) => fileEntry(file, base));
  const { stage } = describeStage("corpus", { kind: "text-files", files }, { ...input.plan, layout: "stream" }, packTexts(input.texts, input.tokenizer));
  const manifest = buildManifest({ file: basename(input.modelPath), sha256: sha256Hex(readFileSync(input.modelPath)) }, [stage]);
  writeOutputFile(path, manifestText(manifest), { force: input.force });
  return { path, manifest };
}
