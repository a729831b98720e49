// The CLI entry: declares the command table, loads only the command that runs, and is the one place
// that sets the exit code. Errors print one line; stack traces only with --debug.
import { createRequire } from "node:module";
import { Command, CommanderError } from "commander";
import { commandTable, loadCommand } from "./command-table.js";
import { CliError, describeError, exitCodeFor, withUsageCode } from "./errors.js";

const packageJson = createRequire(import.meta.url)("../../package.json") as { version: string };

export async function buildProgram(argv: string[]): Promise<Command> {
  const program = new Command("pedigree")
    .description("Distil, protect and prove: knowledge distillation of language models and its forensics")
    .version(packageJson.version, "-V, --version")
    .option("--debug", "print stack traces")
    .showHelpAfterError("(run with --help for usage)")
    // Commander's own usage errors (a bad option value, an unknown option) get the USAGE code too.
    .configureOutput({ outputError: (text, write) => write(withUsageCode(text)) })
    .exitOverride();
  const wanted = argv.find((arg) => !arg.startsWith("-"));
  for (const entry of commandTable) {
    const command = program.command(entry.name).description(entry.description).exitOverride();
    if (entry.name === wanted) {
      try {
        (await loadCommand(entry.name)).configure(command);
      } catch (error) {
        if ((error as { code?: string }).code !== "ERR_MODULE_NOT_FOUND") throw error;
        command.action(() => {
          throw new CliError("COMMAND_UNAVAILABLE", `'${entry.name}' is not available in this build (its module is missing); rebuild with 'npm run build' or reinstall pedigree`);
        });
      }
    }
  }
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const debug = argv.includes("--debug");
  try {
    const program = await buildProgram(argv);
    await program.parseAsync(argv, { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed help/version/usage text.
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    process.stderr.write(describeError(error) + "\n");
    if (debug && error instanceof Error && error.stack) process.stderr.write(error.stack + "\n");
    process.exitCode = exitCodeFor(error);
  }
}
