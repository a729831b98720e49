// pedigree monitor scan|watch|simulate: extraction-campaign alerts over the exchange log.
import type { Command } from "commander";
import { scanCommand, type ScanOptions } from "./monitor-scan.js";
import { simulateCommand, type SimulateOptions } from "./monitor-simulate.js";
import { watchCommand, type WatchOptions } from "./monitor-watch.js";

const collect = (value: string, previous: string[] = []) => [...previous, value];

const calibration = (command: Command) =>
  command
    .option("--reference <builtin|file.jsonl>", "benign traffic to calibrate against: builtin (simulated) or an exported log you trust", "builtin")
    .option("--fpr <rate>", "false-positive rate per benign key per UTC day", "0.001")
    .option("--action <action>", "what an alert that survives Holm across the day's keys does: flag, throttle, watermark, suspend", "flag")
    .option("--json", "print one JSON document");

export function configure(command: Command): void {
  calibration(
    command
      .command("scan")
      .description("alerts over a stored log: a data directory (verified first) or an exported JSONL file")
      .option("--data <dir>", "gateway data directory (default ./.pedigree or PEDIGREE_HOME)")
      .option("--config <file>", "gateway config file (YAML or JSON)")
      .option("--log <file>", "an exported log (pedigree log export) instead of a data directory")
      .option("--since <time>", "only exchanges from this time: ISO, ms since the epoch, or a duration back (24h, 7d)"),
  ).action((options: ScanOptions) => scanCommand(options));

  calibration(
    command
      .command("watch")
      .description("follow a running gateway (GET /admin/log with the admin key) and print alerts as they happen")
      .requiredOption("--url <url>", "the gateway, e.g. http://127.0.0.1:8787")
      .option("--admin-key <key>", "the gateway's admin key (default PEDIGREE_ADMIN_KEY)")
      .option("--interval <seconds>", "seconds between polls", "5")
      .option("--once", "catch up with the log, print its alerts and exit"),
  ).action((options: WatchOptions) => watchCommand(options));

  calibration(
    command
      .command("simulate")
      .description("replay simulated benign traffic and campaigns through a gateway on a new data directory")
      .option("--data <dir>", "a new data directory for the simulated gateway (default ./.pedigree or PEDIGREE_HOME)")
      .option("--benign <n>", "benign people, one key each", "200")
      .option("--apps <n>", "benign apps (one key carrying many people's traffic)", "4")
      .option("--days <n>", "UTC days of traffic", "1")
      .option("--campaign <spec>", "harvest[:N], hidden:SHARE, hydra[:KEYS] or evasive[:N]; repeat for several", collect)
      .option("--seed <seed>", "names the whole simulated history", "pedigree-simulate")
      .option("--monitor", "run the gateway's own monitor during the replay (its alerts and actions land in the log)"),
  ).action((options: SimulateOptions) => simulateCommand(options));
}
