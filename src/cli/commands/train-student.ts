// pedigree train student --data FILE: a student trained on harvested rows or chat JSONL (OpenAI
// fine-tuning files included): SFT on the answers, or token-level distillation from stored top-k
// log-probabilities or a white-box teacher. Options that would have no effect are refused.
import { Option, type Command } from "commander";
import { modelSizes } from "../../engine/model/config.js";
import { defaultStudentTokenizer } from "../../distill/train/student-start.js";
import { emit, note } from "../output.js";
import { UsageError } from "../errors.js";
import { integerArgument, numberArgument } from "../model-options.js";
import { addCommonTrainOptions, movedOption, smallestVocabulary, progress, runTraining, scheduleOptions, type CommonTrainOptions } from "./train-common.js";

type Loss = "sft" | "kl" | "rkl" | "jsd";
const losses: Loss[] = ["sft", "kl", "rkl", "jsd"];

interface StudentOptions extends CommonTrainOptions {
  data: string;
  student: string;
  teacher?: string;
  tokenizer?: string;
  vocab?: number;
  loss: Loss;
  beta: number;
  temperature: number;
  lambda: number;
  ceWeight: number;
  warmStart?: { loss: Loss; share: number };
  evalEvery?: number;
}

export function parseWarmStart(value: string): { loss: Loss; share: number } {
  const match = /^(sft|kl|rkl|jsd):(0?\.\d+|0)$/.exec(value);
  if (!match) throw new UsageError(`--warm-start must look like sft:0.5 (a loss, then the share of steps in [0, 1)), got "${value}"`);
  return { loss: match[1] as Loss, share: Number(match[2]) };
}

export function configureStudent(command: Command): void {
  command
    .description("train a student on harvested rows or chat JSONL ({messages}, as OpenAI fine-tuning files)")
    .requiredOption("--data <file>", "harvested rows, or {messages} lines (assistant turns with \"weight\": 0 are not trained on)")
    .option("--student <size|ref>", `a size for a fresh student (${Object.keys(modelSizes).join(", ")}), or a model whose weights it starts from`, "small")
    .option("--teacher <ref>", "a white-box teacher whose full distributions are the targets of kl, rkl and jsd")
    .option("--tokenizer <ref>", `the model whose tokenizer a fresh student uses (default: the --teacher's, else ${defaultStudentTokenizer}'s)`)
    .addOption(new Option("--vocab <n>", "instead of --tokenizer: train a tokenizer of N tokens on the data").argParser(integerArgument(smallestVocabulary)))
    .addOption(new Option("--loss <kind>", "sequence-level (sft) or token-level distillation").choices(losses).default("sft"))
    .addOption(new Option("--beta <b>", "JSD interpolation β, for jsd").argParser(numberArgument({ above: 0, below: 1 })).default(0.5))
    .addOption(new Option("--temperature <t>", "distillation temperature, for kl, rkl and jsd").argParser(numberArgument({ above: 0 })).default(1))
    .addOption(new Option("--lambda <l>", "with a white-box --teacher: share of on-policy batches (GKD λ)").argParser(numberArgument({ min: 0, max: 1 })).default(0))
    .addOption(new Option("--ce-weight <a>", "for kl, rkl and jsd: mix in a·cross-entropy on the teacher's text").argParser(numberArgument({ min: 0, max: 1 })).default(0))
    .addOption(new Option("--warm-start <loss:share>", "spend this share of the steps on another loss first, e.g. sft:0.5 (default: none)").argParser(parseWarmStart))
    .addOption(new Option("--eval-every <n>", "held-out loss every N updates (default: at the end only)").argParser(integerArgument(1)))
    .addOption(movedOption("--config <size>", "--config sizes a model trained from scratch (pedigree train corpus); a fresh student's size is --student SIZE"))
    .addOption(movedOption("--corpus <files>", "--corpus trains from scratch: use `pedigree train corpus FILES…`"));
  addCommonTrainOptions(command, { name: "student" }).action(async (options: StudentOptions, self: Command) => runStudent(options, self));
}

/** Refuses options that the chosen losses would ignore. */
function checkLossOptions(options: StudentOptions, command: Command): void {
  const given = (name: string) => command.getOptionValueSource(name) === "cli";
  const phases = [options.loss, ...(options.warmStart ? [options.warmStart.loss] : [])];
  const tokenLevel = phases.some((loss) => loss !== "sft");
  if (given("beta") && !phases.includes("jsd")) throw new UsageError("--beta is JSD's interpolation; it needs --loss jsd (or a jsd warm start)");
  if (given("temperature") && !tokenLevel) throw new UsageError("--temperature applies to kl, rkl and jsd; --loss sft trains on the text");
  if (given("ceWeight") && !tokenLevel) throw new UsageError("--ce-weight mixes cross-entropy into kl, rkl or jsd; --loss sft is cross-entropy already");
  if (options.teacher !== undefined && !tokenLevel) {
    throw new UsageError("--teacher gives kl, rkl and jsd their targets; --loss sft trains on the data's text (name its tokenizer with --tokenizer)");
  }
}

async function runStudent(options: StudentOptions, command: Command): Promise<void> {
  checkLossOptions(options, command);
  await runTraining(options, async (signal) => {
    const [{ trainStudent }, { readTrainingRows }] = await Promise.all([
      import("../../distill/train/train-student.js"), import("../../distill/data/index.js"),
    ]);
    const data = await readTrainingRows(options.data);
    if (!options.json) for (const message of data.notes) note(`warning: ${message}`);
    const evaluations: { step: number; heldOutLoss: number }[] = [];
    const result = await trainStudent({
      ...scheduleOptions(options),
      rows: data.rows, student: options.student, teacher: options.teacher, tokenizer: options.tokenizer, vocabSize: options.vocab,
      loss: options.loss, beta: options.beta, temperature: options.temperature, lambda: options.lambda, ceWeight: options.ceWeight,
      warmStart: options.warmStart,
      out: options.out, force: options.force, name: options.name, type: options.type === "f16" ? "F16" : "F32", signal,
      onStep: progress(options),
      evaluateEvery: options.evalEvery,
      onEvaluate: (report) => {
        evaluations.push(report);
        if (!options.json) note(`step ${report.step}  held-out loss ${report.heldOutLoss.toFixed(4)}`);
      },
    });
    emit(options, { ...result, evaluations, failed_rows_skipped: data.failedRows, warnings: data.notes },
      () => `wrote ${result.out}: ${result.params} parameters, loss ${result.losses[0]?.toFixed(3)} → ${result.losses.at(-1)?.toFixed(3)}, ${result.heldOutRows > 0 ? `held-out ${result.heldOutLoss.toFixed(3)}` : "no rows held out"}`);
  });
}
