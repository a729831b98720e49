// pedigree monitor simulate: a day (or more) of simulated traffic, benign clients and the chosen
// campaigns, replayed through a real gateway on a new data directory with the official openai
// client, so `pedigree monitor scan --data DIR` has a log to read.
import { existsSync } from "node:fs";
import { createGatewayApp } from "../../gateway/app.js";
import { databasePath } from "../../gateway/store/sqlite/database.js";
import { startGatewayServer } from "../../gateway/node-server.js";
import { MonitorError, replayThroughGateway, simulateTraffic, type CampaignSpec } from "../../monitor/index.js";
import { dataDirectory } from "../data-directory.js";
import { UsageError } from "../errors.js";
import { parseInteger } from "../model-options.js";
import { emit, note } from "../output.js";
import { builtinPromptSet } from "./harvest.js";
import { echoModel } from "./monitor-echo-model.js";
import { loadReference } from "./monitor-reference.js";
import { parseAction, parseFpr } from "./monitor-scan.js";
import { promptPools } from "./monitor-sources.js";

export interface SimulateOptions {
  data?: string;
  benign?: string;
  apps?: string;
  days?: string;
  campaign?: string[];
  seed?: string;
  monitor?: boolean;
  reference?: string;
  fpr?: string;
  action?: string;
  json?: boolean;
}

/** harvest[:N] | hidden:SHARE | hydra[:KEYS] | evasive[:N] */
export async function parseCampaign(spec: string): Promise<CampaignSpec> {
  const [kind, value] = spec.split(":");
  const number = value === undefined ? undefined : Number(value);
  if (value !== undefined && !(number! > 0)) throw new UsageError(`--campaign ${spec}: '${value}' must be a positive number`);
  if (kind === "harvest") {
    // The prompts `pedigree harvest --prompts builtin:mixed` sends, in its order.
    const prompts = (await builtinPromptSet("mixed")).map((prompt) => prompt.messages.at(-1)!.content);
    return { kind, exchanges: number ?? 2000, prompts };
  }
  if (kind === "hidden") {
    if (number === undefined || number > 1) throw new UsageError(`--campaign hidden:SHARE needs a share in (0, 1], such as hidden:0.05`);
    return { kind, share: number };
  }
  if (kind === "hydra") return { kind, keys: number ?? 50 };
  if (kind === "evasive") return { kind, exchanges: number ?? 300 };
  throw new UsageError(`--campaign must be harvest[:N], hidden:SHARE, hydra[:KEYS] or evasive[:N], got '${spec}'`);
}

export async function simulateCommand(options: SimulateOptions): Promise<void> {
  const dataDir = dataDirectory(options.data);
  if (existsSync(databasePath(dataDir))) throw new MonitorError("MONITOR_BAD_OPTION", `${dataDir} already holds a gateway database; simulate into a new directory so no real log is mixed with simulated traffic`);
  const campaigns = await Promise.all((options.campaign ?? []).map(parseCampaign));
  const traffic = simulateTraffic({
    seed: options.seed ?? "pedigree-simulate",
    pools: await promptPools("all"),
    benignKeys: parseInteger("--benign", options.benign, 200),
    appKeys: parseInteger("--apps", options.apps, 4),
    days: parseInteger("--days", options.days, 1),
    campaigns,
  });
  const progress = options.json ? () => undefined : note;
  const monitor = options.monitor ? { reference: await loadReference(options.reference ?? "builtin", progress), policy: { fpr: parseFpr(options.fpr), action: parseAction(options.action) } } : null;
  const clock = { now: traffic.requests[0]?.ts ?? Date.now() };
  const app = await createGatewayApp({ dataDir, models: { echo: echoModel }, now: () => clock.now, monitor, config: { limits: { upstream_retries: 0 } } });
  const server = await startGatewayServer(app, { host: "127.0.0.1", port: 0 });
  const ids = new Map<string, string>();
  const secrets = new Map<string, string>();
  let summary;
  try {
    for (const key of traffic.keys) {
      const { record, secret } = await app.context.keys.create(key.name);
      ids.set(key.name, record.id);
      secrets.set(key.name, secret);
    }
    progress(`replaying ${traffic.requests.length} requests of ${traffic.keys.length} keys through the gateway…`);
    let shown = 0;
    summary = await replayThroughGateway(traffic.requests, {
      baseURL: `${server.url}/v1`, model: "echo", secrets, setClock: (ms) => (clock.now = ms),
      onProgress: (done, total) => {
        if (!options.json && done - shown >= 5000) (shown = done, progress(`  ${done} / ${total}`));
      },
    });
  } finally {
    await server.close();
  }
  const keys = traffic.keys.map((key) => ({ name: key.name, id: ids.get(key.name)!, role: key.role }));
  const result = { data: dataDir, exchanges: summary.sent, refused: summary.refused, keys: keys.length, campaigns: keys.filter((key) => key.role !== "benign" && key.role !== "app"), alerts: app.context.monitor?.alerts.length ?? null };
  emit(options, result, () => [
    `simulated ${result.exchanges} requests of ${result.keys} keys into ${dataDir}` + (result.refused ? ` (${result.refused} refused after monitor actions)` : ""),
    ...result.campaigns.slice(0, 10).map((key) => `  campaign key ${key.id} (${key.name})`),
    result.campaigns.length > 10 ? `  … and ${result.campaigns.length - 10} more campaign keys` : "",
    `next: pedigree monitor scan --data ${dataDir}`,
  ].filter(Boolean).join("\n"));
}
