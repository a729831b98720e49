// pedigree curate: de-duplicate, filter and optionally scrub identity claims from a harvested data set,
// and say how many rows each step removed.
import { Option, type Command } from "commander";
import { parseInteger, parseNumber } from "../model-options.js";
import { emit, note } from "../output.js";
import { UsageError } from "../errors.js";
import { assertOutputFree, writeOutputFile } from "../../files/index.js";
import { jsonlText } from "../../files/jsonl-append.js";
import { readJsonl } from "../../distill/data/jsonl-read.js";
import { harvestRowSchema } from "../../distill/data/row.js";
import { curateRows, type CurateReport, type DedupField } from "../../distill/curate/curate.js";
import { DEFAULT_REPLACEMENT_NAME, DEFAULT_REPLACEMENT_VENDOR } from "../../distill/curate/identity-scrub.js";
import type { ShingleKind } from "../../distill/curate/shingles.js";

interface CurateCommandOptions {
  in: string;
  out: string;
  minChars?: string;
  maxChars?: string;
  dropTruncated?: boolean;
  maxRepetition?: string;
  nearDupThreshold?: string;
  shingle?: ShingleKind;
  shingleSize?: string;
  numPerm?: string;
  dedupOn?: DedupField;
  seed?: string;
  scrubIdentity?: "drop" | "rewrite";
  identity?: string;
  vendor?: string;
  rewriteAs?: string;
  rewriteVendor?: string;
  force?: boolean;
  json?: boolean;
}

export function configure(command: Command): void {
  command
    .requiredOption("--in <file>", "harvested data set (JSONL)")
    .requiredOption("--out <file>", "curated data set to write (an existing file is kept unless --force)")
    .option("--force", "replace an existing --out file (also needed to curate a file in place)")
    .option("--min-chars <n>", "drop answers shorter than this")
    .option("--max-chars <n>", "drop answers longer than this")
    .option("--drop-truncated", "drop answers cut off by max-tokens (finish_reason length)")
    .option("--max-repetition <share>", "drop answers whose share of repeated word 3-grams exceeds this", "0.5")
    .option("--near-dup-threshold <j>", "Jaccard similarity that counts as a near-duplicate (1 = off)", "0.8")
    .addOption(new Option("--shingle <kind>", "shingles for near-duplicates").choices(["char", "word"]).default("char"))
    .option("--shingle-size <k>", "shingle length (default 5 characters or 3 words)")
    .option("--num-perm <n>", "MinHash permutations", "128")
    .addOption(new Option("--dedup-on <field>", "compare prompt and answer together, the answer, or the prompt").choices(["both", "response", "prompt"]).default("both"))
    .option("--seed <n>", "MinHash seed", "1")
    .addOption(new Option("--scrub-identity <mode>", "drop rows naming the teacher in any turn (the answer or an earlier prompt turn), or rewrite the names in every turn").choices(["drop", "rewrite"]))
    .option("--identity <name>", "the teacher's name, e.g. Atlas")
    .option("--vendor <name>", "the teacher's maker, e.g. \"Northwind AI\"")
    .option("--rewrite-as <name>", "rewrite: the name put in place of the teacher's", DEFAULT_REPLACEMENT_NAME)
    .option("--rewrite-vendor <name>", "rewrite: the maker put in place of the teacher's", DEFAULT_REPLACEMENT_VENDOR)
    .option("--json", "print one JSON document")
    .action(async (options: CurateCommandOptions) => run(options));
}

async function run(options: CurateCommandOptions): Promise<void> {
  if (options.scrubIdentity && !options.identity) throw new UsageError("--scrub-identity needs --identity NAME (and usually --vendor NAME)");
  if (!options.scrubIdentity && (options.identity || options.vendor)) throw new UsageError("--identity and --vendor only apply with --scrub-identity drop|rewrite");
  assertOutputFree(options.out, { force: options.force });
  const input = await readJsonl(options.in, harvestRowSchema);
  if (input.truncatedTail && !options.json) note(input.truncatedTail.message);
  const { rows, report } = curateRows(input.rows, {
    minChars: options.minChars === undefined ? undefined : parseInteger("--min-chars", options.minChars, 0),
    maxChars: options.maxChars === undefined ? undefined : parseInteger("--max-chars", options.maxChars, 0),
    dropTruncated: options.dropTruncated,
    maxRepetition: parseNumber("--max-repetition", options.maxRepetition, 0.5),
    nearDuplicateThreshold: parseNumber("--near-dup-threshold", options.nearDupThreshold, 0.8),
    shingle: options.shingle,
    shingleSize: options.shingleSize === undefined ? undefined : parseInteger("--shingle-size", options.shingleSize, 5),
    numPerm: parseInteger("--num-perm", options.numPerm, 128),
    dedupOn: options.dedupOn,
    seed: parseInteger("--seed", options.seed, 1),
    identity: options.scrubIdentity
      ? { mode: options.scrubIdentity, identity: options.identity!, vendor: options.vendor, replacementName: options.rewriteAs, replacementVendor: options.rewriteVendor }
      : undefined,
  });
  // Written beside the target and renamed, so --out may be the input (with --force) and a crash leaves no half file.
  writeOutputFile(options.out, jsonlText(rows), { force: options.force });
  emit(options, { in: options.in, out: options.out, ...report }, () => describe(report, options.out));
}

function describe(report: CurateReport, out: string): string {
  const lines = [`kept ${report.rows_out} of ${report.rows_in} rows → ${out}`];
  const reasons = Object.entries(report.removed).sort((a, b) => b[1] - a[1]);
  if (reasons.length === 0) lines.push("nothing removed");
  for (const [reason, count] of reasons) lines.push(`  removed ${String(count).padStart(6)}  ${reason.replace(/_/g, " ")}`);
  if (report.rewritten) lines.push(`  rewrote ${String(report.rewritten).padStart(6)}  identity claims`);
  return lines.join("\n");
}
