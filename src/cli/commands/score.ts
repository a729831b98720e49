// pedigree score: log-probability of every token of a text under a white-box model, its top-K
// alternatives, and the perplexity.
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { addModelOptions, openTokenModel, parseInteger, type ModelOptions } from "../model-options.js";
import { emit } from "../output.js";
import { UsageError } from "../errors.js";
import { scoreText } from "../../models/score-text.js";

interface ScoreOptions extends ModelOptions {
  text?: string;
  file?: string;
  top?: string;
  json?: boolean;
}

export function configure(command: Command): void {
  addModelOptions(command)
    .option("--text <text>", "the text to score")
    .option("--file <path>", "read the text from a file")
    .option("--top <k>", "alternatives to list per position", "5")
    .option("--json", "print one JSON document")
    .action(async (options: ScoreOptions) => run(options));
}

async function run(options: ScoreOptions): Promise<void> {
  if ((options.text === undefined) === (options.file === undefined)) throw new UsageError("give exactly one of --text or --file");
  const top = parseInteger("--top", options.top, 5);
  if (top < 0) throw new UsageError(`--top must be 0 or more, got '${options.top}'`);
  const text = options.text ?? readText(options.file!);
  const model = await openTokenModel(options.model, options, "score");
  try {
    const scored = await scoreText(model, text, top);
    emit(options, { model: options.model, ...scored }, () => {
      const lines = scored.tokens.map((token) => {
        const logprob = token.logprob === null ? "      —" : token.logprob.toFixed(3).padStart(8);
        const alternatives = token.top.map((alt) => `${JSON.stringify(alt.text)} ${alt.logprob.toFixed(2)}`).join(", ");
        return `${logprob}  ${JSON.stringify(token.text).padEnd(16)} ${alternatives}`;
      });
      // The first token has nothing before it, so the perplexity covers the others only.
      const predicted = scored.tokens.filter((token) => token.logprob !== null).length;
      return [...lines, `perplexity: ${scored.perplexity.toFixed(3)} over ${predicted} predicted tokens (of ${scored.tokens.length}; the first has no context)`].join("\n");
    });
  } finally {
    await model.close?.();
  }
}

function readText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : (error as Error).message;
    throw new UsageError(`cannot read --file ${path}: ${reason}; give a readable text file or use --text`);
  }
}
