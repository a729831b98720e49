// pedigree defend prepare: the files antidistillation sampling serves from (a proxy student and the
// gradient g of its loss on held-out teacher answers). `--proxy SIZE` trains a fresh proxy of that
// size on part of the data (with the teacher's tokenizer); `--proxy REF` uses an engine model file.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Option, type Command } from "commander";
import { modelSizes } from "../../engine/model/config.js";
import { existingBuiltinModelPath, parseModelReference } from "../../models/index.js";
import { emit, note } from "../output.js";
import { UsageError } from "../errors.js";
import { integerArgument, numberArgument, openTokenModel } from "../model-options.js";

interface PrepareCliOptions {
  teacher: string;
  proxy: string;
  data: string;
  out: string;
  force?: boolean;
  lambda: number;
  epsilon: number;
  proxySteps: number;
  gradientShare: number;
  seed: number;
  json?: boolean;
}

export function configure(command: Command): void {
  command
    .command("prepare")
    .description("train or load a proxy student and compute the gradient antidistillation sampling needs")
    .requiredOption("--teacher <ref>", "the white-box model the defence will serve (built-in or ./file.gguf)")
    .requiredOption("--proxy <size|ref>", `a size for a fresh proxy trained here (${Object.keys(modelSizes).join(", ")}), or an engine model (built-in name or ./file.gguf) with the teacher's tokenizer`)
    .requiredOption("--data <file>", "held-out teacher answers: harvested rows or {messages} lines")
    .requiredOption("--out <dir>", "the defence directory to write (an existing one is refused unless --force)")
    .option("--force", "replace an existing defence in --out")
    .addOption(new Option("--lambda <l>", "default penalty weight λ served with this defence").argParser(numberArgument({ min: 0 })).default(0.007))
    .addOption(new Option("--epsilon <e>", "finite-difference step ε").argParser(numberArgument({ above: 0 })).default(0.01))
    .addOption(new Option("--proxy-steps <n>", "with --proxy SIZE: training updates of the proxy").argParser(integerArgument(1)).default(600))
    .addOption(new Option("--gradient-share <s>", "with --proxy SIZE: share of rows kept out of the proxy's training for the gradient").argParser(numberArgument({ above: 0, below: 1 })).default(0.25))
    .addOption(new Option("--seed <n>", "seed of the proxy's training").argParser(integerArgument(0)).default(1))
    .option("--json", "print one JSON document")
    .action(async (options: PrepareCliOptions, self: Command) => runPrepare(options, self));
}

/** An engine model file for --proxy REF: a built-in name or a GGUF path. */
function proxyFileOf(reference: string): string {
  const parsed = parseModelReference(reference);
  if (parsed.kind === "builtin") return existingBuiltinModelPath(parsed.name);
  if (parsed.kind === "engine") {
    if (!existsSync(parsed.path)) throw new UsageError(`--proxy ${reference}: no such file`);
    return parsed.path;
  }
  throw new UsageError(`--proxy must be a size (${Object.keys(modelSizes).join(", ")}), a built-in model or ./file.gguf: the gradient is computed by the engine`);
}

async function runPrepare(options: PrepareCliOptions, command: Command): Promise<void> {
  const trainsProxy = Object.hasOwn(modelSizes, options.proxy);
  const given = (name: string) => command.getOptionValueSource(name) === "cli";
  if (!trainsProxy && (given("proxySteps") || given("gradientShare"))) throw new UsageError("--proxy-steps and --gradient-share apply to a proxy trained here (--proxy SIZE)");
  const [{ prepareDefence, MANIFEST_FILE }, { readTrainingRows }, { assertOutputFree }] = await Promise.all([
    import("../../defend/index.js"), import("../../distill/data/training-rows.js"), import("../../files/index.js"),
  ]);
  assertOutputFree(join(options.out, MANIFEST_FILE), options);
  const data = await readTrainingRows(options.data);
  if (!options.json) for (const message of data.notes) note(`warning: ${message}`);
  const rows = data.rows;
  const teacher = await openTokenModel(options.teacher, {}, "defend prepare");
  const scratch = mkdtempSync(join(tmpdir(), "pedigree-defend-"));
  try {
    let proxyFile: string, gradientRows = rows, trained: { steps: number; rows: number } | null = null;
    if (trainsProxy) {
      const held = Math.max(1, Math.round(rows.length * options.gradientShare));
      if (rows.length - held < 1) throw new UsageError(`--proxy ${options.proxy} trains on the data: give at least 2 rows (got ${rows.length})`);
      gradientRows = rows.slice(rows.length - held);
      const { trainStudent } = await import("../../distill/index.js");
      proxyFile = join(scratch, "proxy.gguf");
      if (!options.json) note(`training a ${options.proxy} proxy on ${rows.length - held} rows (${options.proxySteps} steps)…`);
      await trainStudent({
        rows: rows.slice(0, rows.length - held), student: options.proxy, tokenizer: options.teacher, loss: "sft", steps: options.proxySteps,
        seed: options.seed, out: proxyFile, name: "proxy", type: "F32", heldOutShare: 0,
      });
      trained = { steps: options.proxySteps, rows: rows.length - held };
    } else {
      proxyFile = proxyFileOf(options.proxy);
    }
    if (!options.json) note(`computing the proxy's gradient on ${gradientRows.length} held-out answers…`);
    const manifest = await prepareDefence({
      teacher: { id: options.teacher, tokenizer: teacher.tokenizer }, proxyFile, proxySource: trainsProxy ? `trained:${options.proxy}` : options.proxy,
      answers: gradientRows, out: options.out, force: options.force, lambda: options.lambda, epsilon: options.epsilon,
    });
    emit(options, { out: options.out, ...manifest, proxy_training: trained },
      () => `wrote ${options.out}: proxy ${manifest.proxy.source} (${manifest.proxy.parameters} parameters), g over ${manifest.gradient.examples} answers (|g| ${manifest.gradient.norm.toPrecision(3)}), ε ${manifest.epsilon}, λ ${manifest.lambda}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    await teacher.close?.();
  }
}
