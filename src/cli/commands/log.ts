// pedigree log verify|export|prune: check the exchange log's hash chain, write it out as JSONL, or
// apply a retention period by hand.
import type { Command } from "commander";
import { openGatewayData, type DataOptions } from "../../gateway/data-options.js";
import { GatewayError } from "../../gateway/errors.js";
import { exportLogToFile } from "../../gateway/log-export-file.js";
import { iterateLog, pruneLog, verifyLog } from "../../gateway/log-store.js";
import { UsageError } from "../errors.js";
import { emit, note } from "../output.js";

interface CommonOptions extends DataOptions {
  json?: boolean;
}

const dataFlags = (command: Command) =>
  command.option("--data <dir>", "gateway data directory (default ./.pedigree or PEDIGREE_HOME)").option("--config <file>", "gateway config file (YAML or JSON)").option("--json", "print one JSON document");

function withLog<T>(options: DataOptions, work: (data: ReturnType<typeof openGatewayData>) => T): T {
  const data = openGatewayData(options, "log");
  try {
    return work(data);
  } finally {
    data.db.close();
  }
}

export function configure(command: Command): void {
  dataFlags(command.command("verify").description("check the hash chain; names the first edited, inserted or deleted row")).action((options: CommonOptions) => {
    const result = withLog(options, ({ db }) => verifyLog(db));
    emit(options, result, () => (result.ok ? `ok: ${result.rows} rows, head ${result.head}` : `BROKEN at row ${result.first_bad_row}: ${result.reason}`));
    if (!result.ok) throw new GatewayError("LOG_TAMPERED", `the exchange log fails verification at row ${result.first_bad_row}: ${result.reason}`, { status: 500, type: "server_error" });
  });

  dataFlags(
    command
      .command("export")
      .description("write every exchange as one JSON object per line")
      .option("--out <file>", "output file (default: stdout); an existing file is refused without --force")
      .option("--force", "replace an existing --out file"),
  ).action((options: CommonOptions & { out?: string; force?: boolean }) => {
    if (options.json && !options.out) throw new UsageError("with --json, give --out FILE for the JSONL (stdout carries the summary)");
    const out = options.out;
    if (out) {
      const rows = withLog(options, ({ db }) => exportLogToFile(db, out, { force: options.force }));
      emit(options, { rows, out }, () => `wrote ${rows} exchanges to ${out}`);
      return;
    }
    let rows = 0;
    withLog(options, ({ db }) => {
      for (const row of iterateLog(db)) {
        process.stdout.write(JSON.stringify(row) + "\n");
        rows += 1;
      }
    });
    note(`exported ${rows} exchanges`);
  });

  dataFlags(command.command("prune").description("delete rows older than N days (the chain keeps an anchor)").requiredOption("--days <n>", "keep this many days")).action(
    (options: CommonOptions & { days: string }) => {
      const days = Number(options.days);
      if (!(days > 0)) throw new UsageError(`--days must be a positive number, got '${options.days}'`);
      const removed = withLog(options, ({ db }) => pruneLog(db, Date.now() - days * 86_400_000));
      emit(options, { removed }, () => `removed ${removed} exchanges older than ${days} days`);
    },
  );
}
