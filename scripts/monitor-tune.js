// The monitor's tuning harness (`node scripts/monitor-tune.js`) (imports the built package; run `npm run build` first). It uses only
// the REFERENCE half of the packaged prompts and seeds of its own, never the benchmark's evaluation
// half or seeds, so constants chosen here are judged by `npm run bench -- monitor` on traffic they
// were not chosen on. Prints, per tuning reference:
//   tune_<r>_share_<s>   campaigns hidden at share s caught at 1e-3 (TUNE_CAMPAIGNS per share)
//   tune_<r>_fpr         benign key-days flagged at 1e-3 over TUNE_BENIGN_DRAWS draws (key and cluster alerts)
// TUNE_REFERENCES (default 3), TUNE_SHARES (default "5,10"), TUNE_MISSES=1 prints each missed
// campaign's best sub-population: its size, templates, and the features it scored on.
import { buildReference, directExchanges, scan, simulateTraffic } from "pedigree/monitor";
import { promptPools } from "../dist/cli/commands/monitor-sources.js";
import { groupKeyDays } from "../dist/monitor/key-days.js";
import { prepareExchange } from "../dist/monitor/prepared.js";
import { keyDayStatistic } from "../dist/monitor/reference.js";

const FPR = 1e-3;
const references = Number(process.env.TUNE_REFERENCES ?? 3);
const shares = (process.env.TUNE_SHARES ?? "5,10").split(",").filter(Boolean).map(Number);
const perShare = Number(process.env.TUNE_CAMPAIGNS ?? 60);
const benignDraws = Number(process.env.TUNE_BENIGN_DRAWS ?? 1);
const people = Number(process.env.TUNE_REFERENCE_KEYS ?? 16000);
const showMisses = process.env.TUNE_MISSES === "1";
const pools = await promptPools("reference");
const print = (name, value, note = "") => console.log(`${name}: ${value}${note ? ` ${note}` : ""}`);

function describeMiss(reference, keyDay, campaignRows) {
  const { statistic, best } = keyDayStatistic(reference, keyDay);
  const p = reference.keyNull.pValue(statistic);
  const inCampaign = best.window.filter((item) => campaignRows.has(item.exchange.id)).length;
  const surprising = Object.entries(best.tails).filter(([, tail]) => tail < 0.2).map(([name, tail]) => `${name} ${tail.toExponential(1)}`).join(", ");
  const prompt = [...campaignRows.values()][0] ?? "";
  console.log(`  miss ${keyDay.keyId}: p ${p.toExponential(2)} (floor ${reference.keyNull.floor.toExponential(1)}), statistic ${statistic.toFixed(2)}, look ${best.look}, window ${best.window.length} (${inCampaign} campaign), score ${best.score.toFixed(2)} peak ${best.peak.toFixed(2)}; tails < 0.2: ${surprising}; campaign prompt: ${JSON.stringify(prompt.slice(0, 60))}`);
}

for (let r = 1; r <= references; r++) {
  const reference = buildReference(directExchanges(simulateTraffic({ seed: `tune-reference-${r}`, pools, benignKeys: people, appKeys: Math.round(people * 0.015), prefix: "ref" }).requests));
  for (const share of shares) {
    let caught = 0;
    let total = 0;
    for (let run = 0; total < perShare; run++) {
      const count = Math.min(20, perShare - total);
      const traffic = simulateTraffic({ seed: `tune-${r}-share-${share}-${run}`, pools, benignKeys: 200, appKeys: 3, campaigns: Array.from({ length: count }, () => ({ kind: "hidden", share: share / 100, exchanges: 1000 })), prefix: "run" });
      const exchanges = directExchanges(traffic.requests);
      const result = scan(exchanges, reference, { fpr: FPR });
      const hit = new Set(result.alerts.filter((alert) => alert.scope === "key").flatMap((alert) => alert.keys));
      const campaignKeys = traffic.keys.filter((key) => key.campaign !== null).map((key) => key.name);
      total += campaignKeys.length;
      caught += campaignKeys.filter((key) => hit.has(key)).length;
      if (!showMisses) continue;
      const missed = new Set(campaignKeys.filter((key) => !hit.has(key)));
      const campaignRows = new Map();
      traffic.requests.forEach((request, index) => { if (request.campaign && missed.has(request.key)) campaignRows.set(index + 1, request.messages.at(-1).content); });
      const days = groupKeyDays(exchanges.filter((exchange) => missed.has(exchange.keyId)).map((exchange) => prepareExchange(exchange, reference.topics)));
      for (const keyDay of days) describeMiss(reference, keyDay, new Map([...campaignRows].filter(([id]) => keyDay.exchanges.some((item) => item.exchange.id === id))));
    }
    print(`tune_${r}_share_${share}`, `${caught} of ${total}`);
  }
  let flagged = 0;
  let byKey = 0;
  let byCluster = 0;
  let keyDays = 0;
  for (let draw = 1; draw <= benignDraws; draw++) {
    const result = scan(directExchanges(simulateTraffic({ seed: `tune-benign-${r}-${draw}`, pools, benignKeys: 3000, appKeys: 45, days: 2, prefix: "benign" }).requests), reference, { fpr: FPR });
    const flaggedBy = (alerts) => new Set(alerts.flatMap((alert) => alert.keys.map((key) => `${alert.day} ${key}`))).size;
    flagged += flaggedBy(result.alerts);
    byKey += flaggedBy(result.alerts.filter((alert) => alert.scope === "key"));
    byCluster += flaggedBy(result.alerts.filter((alert) => alert.scope === "cluster"));
    keyDays += result.key_days;
  }
  print(`tune_${r}_fpr`, `${flagged} of ${keyDays}`, `(${byKey} by key alerts, ${byCluster} by cluster alerts)`);
}
