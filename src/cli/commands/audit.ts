// pedigree audit: did this model learn from ours? Similarity tests (identity, agreement) can only say
// "resembles"; the provenance test (radioactivity, with --key) can say "derived", with a p-value that
// is exact whatever data the suspect saw. Writes DIR/report.json, DIR/report.html, DIR/transcript.jsonl.
import { Option, type Command } from "commander";
import { parsePriceTable } from "../../distill/harvest/price.js";
import { formatPValue } from "../../audit/index.js";
import { defaultAuditDirectory, defaultReferences, runAuditCommand } from "../audit/audit-run.js";
import { UsageError } from "../errors.js";
import { emit, note } from "../output.js";

interface AuditCliOptions {
  suspect: string;
  teacher: string;
  reference?: string[];
  key?: string;
  exchanges?: string;
  teacherOrder?: string;
  orderWindows: number;
  tokenizer?: string;
  identity?: string;
  vendor?: string;
  budget: number;
  alpha: number;
  seed: number;
  out?: string;
  price?: string;
  concurrency: number;
  apiKey?: string;
  timeout: number;
  sequential: boolean;
  choosePrompts?: boolean;
  json?: boolean;
}

const number = (flag: string, test: (n: number) => boolean, want: string) => (value: string) => {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || !test(parsed)) throw new UsageError(`${flag} must be ${want}, got '${value}'`);
  return parsed;
};

export function configure(command: Command): void {
  command
    .requiredOption("--suspect <ref>", "the model under audit (any model reference)")
    .requiredOption("--teacher <ref>", "the model it may have learned from")
    .option("--reference <ref...>", `unrelated reference models, at least 2 (default: ${defaultReferences.join(" ")})`)
    .option("--key <keyfile>", "the teacher's watermark key: runs the radioactivity (provenance) test")
    .option("--exchanges <file>", "the gateway's exchange log (pedigree log export): scores only windows of answers it served")
    .option("--teacher-order <file>", "the teacher's training-order manifest (default: a built-in teacher's, or <teacher>.order.json)")
    .addOption(new Option("--order-windows <n>", "training windows the training-order test scores").default(200).argParser(number("--order-windows", (n) => Number.isInteger(n) && n >= 2, "a whole number of at least 2")))
    .option("--tokenizer <ref>", "white-box model whose tokenizer the key was used with (default: the teacher)")
    .option("--identity <name>", "the teacher's name (default: its model card, else its own answers)")
    .option("--vendor <name>", "the teacher's maker, with --identity")
    .addOption(new Option("--budget <n>", "most queries per model").default(1000).argParser(number("--budget", (n) => Number.isInteger(n) && n >= 1, "a whole number of at least 1")))
    .addOption(new Option("--alpha <a>", "family-wise error rate of each kind of test").default(0.01).argParser(number("--alpha", (a) => a > 0 && a < 1, "between 0 and 1")))
    .addOption(new Option("--seed <n>", "seed of the prompts drawn and the answers sampled").default(1).argParser(number("--seed", Number.isSafeInteger, "an integer")))
    .option("--out <dir>", "report directory; an existing one resumes from its transcript (default: audit-SUSPECT)")
    .option("--price <table>", "estimate the cost, e.g. in=0.15,out=0.6 dollars per million tokens")
    .addOption(new Option("--concurrency <n>", "requests in flight per model").default(4).argParser(number("--concurrency", (n) => Number.isInteger(n) && n >= 1 && n <= 64, "a whole number from 1 to 64")))
    .option("--api-key <key>", "API key for http:// references (default: $PEDIGREE_API_KEY)")
    .addOption(new Option("--timeout <ms>", "per-request timeout for API models").default(60000).argParser(number("--timeout", (n) => n > 0, "a positive number")))
    .option("--choose-prompts", "agreement: ask the suspect the prompts, of twice as many, where the teacher and the references disagree")
    .option("--no-sequential", "run every test to its planned size (default: stop each test once decided)")
    .option("--json", "print the report as one JSON document")
    .action(async (options: AuditCliOptions) => run(options));
}

async function run(options: AuditCliOptions): Promise<void> {
  const out = options.out ?? defaultAuditDirectory(options.suspect);
  const result = await runAuditCommand({
    suspect: options.suspect,
    teacher: options.teacher,
    references: options.reference ?? defaultReferences,
    key: options.key,
    exchanges: options.exchanges,
    teacherOrder: options.teacherOrder,
    plan: { orderWindows: options.orderWindows },
    tokenizer: options.tokenizer,
    identity: options.identity,
    vendor: options.vendor,
    budget: options.budget,
    alpha: options.alpha,
    seed: options.seed,
    out,
    concurrency: options.concurrency,
    sequential: options.sequential,
    choosePrompts: options.choosePrompts,
    price: options.price ? parsePriceTable(options.price) : undefined,
    resolve: { apiKey: options.apiKey, timeoutMs: options.timeout },
    note,
  });
  emit(options, result, () => {
    const lines = [`verdict: ${result.verdict}`, result.sentence, ""];
    for (const test of result.tests) {
      if (!test.applicable) {
        lines.push(`  ${test.name.padEnd(15)} ${test.kind.padEnd(10)} not run${test.note ? `  (${test.note})` : ""}`);
        continue;
      }
      lines.push(`  ${test.name.padEnd(15)} ${test.kind.padEnd(10)} p ${formatPValue(test.log10_p).padStart(9)}  Holm ${formatPValue(test.log10_p_holm).padStart(9)}  ${test.rejected ? "rejects" : "does not reject"}${test.note ? `  (${test.note})` : ""}`);
    }
    const cost = result.cost_usd === null ? "" : `, about $${result.cost_usd.toFixed(4)}`;
    lines.push("", `queries: suspect ${result.queries.suspect}, teacher ${result.queries.teacher}, references ${result.queries.references}${cost}; ${result.seconds.toFixed(1)} s`);
    lines.push(`report: ${result.report} (and ${result.report_json}); transcript: ${result.transcript}`);
    return lines.join("\n");
  });
}
