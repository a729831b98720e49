// pedigree log verify|export|prune: check every hash chain of the exchange log (one per replica),
// write the log out as JSONL merged by time, or apply a retention period by hand.
import type { Command } from "commander";
import { openGatewayStore, type DataOptions } from "../../gateway/data-options.js";
import { GatewayError } from "../../gateway/errors.js";
import { exportLogToFile } from "../../gateway/log-export-file.js";
import type { GatewayStore, VerifyResult } from "../../gateway/store/store.js";
import { UsageError } from "../errors.js";
import { emit, note } from "../output.js";

interface CommonOptions extends DataOptions {
  json?: boolean;
}

const dataFlags = (command: Command) =>
  command.option("--data <dir>", "gateway data directory (default ./.pedigree or PEDIGREE_HOME)").option("--config <file>", "gateway config file (YAML or JSON)").option("--json", "print one JSON document");

async function withLog<T>(options: DataOptions, work: (store: GatewayStore) => Promise<T>): Promise<T> {
  const { store } = await openGatewayStore(options, "log");
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

function verifyText(result: VerifyResult): string {
  const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;
  const lines = result.chains.map((chain) => (chain.ok ? `ok      ${chain.chain}: ${count(chain.rows, "row")}, head ${chain.head}` : `BROKEN  ${chain.chain} at row ${chain.first_bad_row}: ${chain.reason}`));
  const summary = result.ok ? `ok: ${count(result.rows, "row")} in ${count(result.chains.length, "chain")}, head ${result.head}` : `BROKEN: ${result.chains.filter((chain) => !chain.ok).length} of ${result.chains.length} chains fail`;
  return [...lines, summary].join("\n");
}

export function configure(command: Command): void {
  dataFlags(command.command("verify").description("check every replica's hash chain; names the first edited, inserted or deleted row of each")).action(async (options: CommonOptions) => {
    const result = await withLog(options, (store) => store.reader.verify());
    emit(options, result, () => verifyText(result));
    if (!result.ok) {
      const broken = result.chains.filter((chain) => !chain.ok).map((chain) => `chain ${chain.chain} at row ${chain.first_bad_row}: ${chain.reason}`);
      throw new GatewayError("LOG_TAMPERED", `the exchange log fails verification: ${broken.join("; ")}`, { status: 500, type: "server_error" });
    }
  });

  dataFlags(
    command
      .command("export")
      .description("write every row of every chain as one JSON object per line, merged by time")
      .option("--out <file>", "output file (default: stdout); an existing file is refused without --force")
      .option("--force", "replace an existing --out file"),
  ).action(async (options: CommonOptions & { out?: string; force?: boolean }) => {
    if (options.json && !options.out) throw new UsageError("with --json, give --out FILE for the JSONL (stdout carries the summary)");
    const out = options.out;
    if (out) {
      const rows = await withLog(options, (store) => exportLogToFile(store.reader, out, { force: options.force }));
      emit(options, { rows, out }, () => `wrote ${rows} exchanges to ${out}`);
      return;
    }
    let rows = 0;
    await withLog(options, async (store) => {
      for await (const row of store.reader.iterate()) {
        if (!process.stdout.write(JSON.stringify(row) + "\n")) await new Promise((drained) => process.stdout.once("drain", drained));
        rows += 1;
      }
    });
    note(`exported ${rows} exchanges`);
  });

  dataFlags(command.command("prune").description("delete rows older than N days (each chain keeps an anchor)").requiredOption("--days <n>", "keep this many days")).action(
    async (options: CommonOptions & { days: string }) => {
      const days = Number(options.days);
      if (!(days > 0)) throw new UsageError(`--days must be a positive number, got '${options.days}'`);
      const removed = await withLog(options, (store) => store.reader.prune(Date.now() - days * 86_400_000));
      emit(options, { removed }, () => `removed ${removed} exchanges older than ${days} days`);
    },
  );
}
