// pedigree export: a data set as OpenAI fine-tuning JSONL, or a model as GGUF for llama.cpp.
import { Option, type Command } from "commander";
import { emit, note } from "../output.js";
import { UsageError } from "../errors.js";
import { assertOutputFree, writeOutputFile } from "../../files/index.js";
import { jsonlText } from "../../files/jsonl-append.js";
import { readExportRows } from "../../distill/export/data-rows.js";
import { exportModelGguf, type GgufExportType } from "../../distill/export/gguf.js";
import { toOpenAIFineTuning } from "../../distill/export/openai-jsonl.js";

interface ExportOptions {
  format: "openai-jsonl" | "gguf";
  data?: string;
  model?: string;
  out: string;
  system?: string;
  type?: "f32" | "f16" | "q8_0";
  name?: string;
  force?: boolean;
  json?: boolean;
}

export function configure(command: Command): void {
  command
    .addOption(new Option("--format <format>", "what to write").choices(["openai-jsonl", "gguf"]).makeOptionMandatory())
    .requiredOption("--out <file>", "the file to write (an existing file is kept unless --force)")
    .option("--force", "replace an existing --out file")
    .option("--data <file>", "openai-jsonl: the data set (harvested rows or {messages} examples)")
    .option("--system <text>", "openai-jsonl: system message for every example (replaces the prompt's own)")
    .option("--model <ref>", "gguf: the model to export (atlas, ./file.gguf, llamacpp:./file.gguf)")
    .addOption(new Option("--type <type>", "gguf: matrix storage type; q8_0 is llama.cpp's 8-bit quantisation (default: as the source)").choices(["f32", "f16", "q8_0"]))
    .option("--name <name>", "gguf: general.name of the exported model")
    .option("--json", "print one JSON document")
    .action(async (options: ExportOptions) => run(options));
}

async function run(options: ExportOptions): Promise<void> {
  if (options.format === "gguf") {
    if (!options.model) throw new UsageError("--format gguf needs --model REF");
    const summary = await exportModelGguf(options.model, options.out, { type: options.type?.toUpperCase() as GgufExportType | undefined, name: options.name, force: options.force });
    emit(options, { format: "gguf", ...summary }, () => {
      const converted = Object.entries(summary.converted).map(([type, count]) => `${count} ${type}`).join(", ");
      return `wrote ${summary.out}: ${summary.tensors} tensors, ${summary.parameters} parameters, ${summary.type}, ${summary.bytes} bytes` + (converted ? ` (converted ${converted} tensors)` : "");
    });
    return;
  }
  if (!options.data) throw new UsageError("--format openai-jsonl needs --data DATA.jsonl");
  assertOutputFree(options.out, { force: options.force });
  const { rows, notes } = await readExportRows(options.data);
  const { lines, warnings } = toOpenAIFineTuning(rows, { system: options.system });
  writeOutputFile(options.out, jsonlText(lines), { force: options.force });
  if (!options.json) for (const message of [...notes, ...warnings]) note(`warning: ${message}`);
  emit(options, { format: "openai-jsonl", data: options.data, out: options.out, examples: lines.length, warnings: [...notes, ...warnings] }, () => `wrote ${lines.length} fine-tuning examples to ${options.out}`);
}
