// pedigree train corpus | student: a model from scratch on text files, or a student on harvested
// data. The earlier one-command forms (`train --corpus FILES…`, `train --data FILE`) still work: they
// run the same subcommand with the same options.
import type { Command } from "commander";
import { note } from "../output.js";
import { UsageError } from "../errors.js";
import { configureCorpus } from "./train-corpus.js";
import { configureStudent } from "./train-student.js";

export function configure(command: Command): void {
  const corpus = command.command("corpus");
  configureCorpus(corpus);
  const student = command.command("student");
  configureStudent(student);
  command
    .usage("corpus FILES… --out MODEL.gguf [options] | student --data DATA.jsonl --out STUDENT.gguf [options]")
    .addHelpText("after", "\nThe earlier forms `train --corpus FILES…` and `train --data FILE` still run, as `train corpus` and `train student`.")
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (_options: unknown, self: Command) => runEarlierForm(self.args, corpus, student));
}

const newForms = "use `pedigree train corpus FILES… --out MODEL.gguf` or `pedigree train student --data DATA.jsonl --out STUDENT.gguf`";

/** `train --corpus A B …` is `train corpus A B …`; `train --data F …` is `train student --data F …`. */
async function runEarlierForm(args: string[], corpus: Command, student: Command): Promise<void> {
  const isCorpusFlag = (arg: string) => arg === "--corpus" || arg.startsWith("--corpus=");
  const hasCorpus = args.some(isCorpusFlag);
  const hasData = args.some((arg) => arg === "--data" || arg.startsWith("--data="));
  if (hasCorpus === hasData) throw new UsageError(`give exactly one of --corpus FILES or --data FILE; better, ${newForms}`);
  if (hasData) {
    note("note: `pedigree train --data` is now `pedigree train student --data`");
    await student.parseAsync(args, { from: "user" });
    return;
  }
  note("note: `pedigree train --corpus FILES` is now `pedigree train corpus FILES`");
  const forwarded = args.flatMap((arg) => (arg === "--corpus" ? [] : arg.startsWith("--corpus=") ? [arg.slice("--corpus=".length)] : [arg]));
  await corpus.parseAsync(forwarded, { from: "user" });
}
