// Monitor benchmark (imports the built package; run `npm run build` first). Every figure comes from
// the simulator over the EVALUATION half of the packaged prompts (its benign reference included);
// the detector's constants were tuned on the other half and on synthetic pools, never on these, and
// the campaigns use wrappers held out from tuning (HELD_OUT_WORDING).
// Prints one `name: value unit` line per figure:
//   monitor_fpr_benign           benign key-days under any alert (key or cluster), default rate 1e-3
//   monitor_tpr_share_5/_10/_25/_100  campaigns hidden in an app key's traffic at that share, caught
//   monitor_tpr_hydra            hydras of 50 keys (≤ 100 exchanges each) with half their keys under alerts
//   monitor_tpr_evasive          evasive campaigns caught
//   monitor_tpr_harvest          `pedigree harvest`'s own pattern (builtin:mixed prompts) caught
//   monitor_latency_exchanges    median exchanges of a harvest before its first alert
//   monitor_exchanges_per_s      scan throughput (one core: features, looks, clusters, p-values)
//   mmd_*                        the MMD window detector (arXiv 2606.05725) on windows of 100 queries
//   gateway_p50_ms_monitor_off/_on, overhead_p50_ms, monitor_on_off_p50_ratio
// BENCH_TRIALS (default 20) sets the campaigns per scenario.
import { performance } from "node:perf_hooks";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRandom } from "pedigree/random";
import { buildReference, directExchanges, embed, fitMmdDetector, HELD_OUT_WORDING, scan, simulateTraffic } from "pedigree/monitor";
import { createGatewayApp, startGatewayServer } from "pedigree/gateway";
import { promptPools } from "../dist/cli/commands/monitor-sources.js";
import { builtinPromptSet } from "../dist/cli/commands/harvest.js";
import { echoModel } from "../dist/cli/commands/monitor-echo-model.js";

const TRIALS = Number(process.env.BENCH_TRIALS ?? 20);
const FPR = 1e-3;
// Campaign runs are scanned once at the looser rate; an alert at rate α is one with p ≤ α.
const LOOSE = 1e-2;
const print = (name, value, unit = "") => console.log(`${name}: ${typeof value === "number" ? +value.toPrecision(4) : value}${unit ? ` ${unit}` : ""}`);
const pools = await promptPools("evaluation");

// ---------- reference and benign false positives ----------
const keyDaysFlagged = (result, rate = Infinity) => new Set(result.alerts.filter((alert) => alert.p_value <= rate).flatMap((alert) => alert.keys.map((key) => `${alert.day} ${key}`))).size;
let t = performance.now();
// BENCH_REFERENCE_KEYS (default 16,000 people, and 1.5% as many apps): at α = 1e-3 a conformal
// alert is decided by the few benign calibration days beyond it, so the reference must be large.
const referencePeople = Number(process.env.BENCH_REFERENCE_KEYS ?? 16000);
const referenceTraffic = simulateTraffic({ seed: "bench-reference", pools, benignKeys: referencePeople, appKeys: Math.round(referencePeople * 0.015), prefix: "ref" });
const reference = buildReference(directExchanges(referenceTraffic.requests));
print("monitor_reference_build_s", (performance.now() - t) / 1000, "s");
print("monitor_reference_calibration_key_days", reference.calibrationWindows);

const benign = simulateTraffic({ seed: "bench-benign", pools, benignKeys: 3000, appKeys: 45, days: 2, prefix: "benign" });
const benignExchanges = directExchanges(benign.requests);
t = performance.now();
const benignScan = scan(benignExchanges, reference, { fpr: FPR });
const scanSeconds = (performance.now() - t) / 1000;
const flaggedKeyDays = new Set(benignScan.alerts.flatMap((alert) => alert.keys.map((key) => `${alert.day} ${key}`)));
print("monitor_fpr_benign", flaggedKeyDays.size / benignScan.key_days, `(${flaggedKeyDays.size} of ${benignScan.key_days} key-days)`);
const looseScan = scan(benignExchanges, reference, { fpr: LOOSE });
const looseFlagged = new Set(looseScan.alerts.flatMap((alert) => alert.keys.map((key) => `${alert.day} ${key}`)));
print("monitor_fpr_benign_at_1e-2", looseFlagged.size / looseScan.key_days, `(${looseFlagged.size} of ${looseScan.key_days} key-days)`);
print("monitor_exchanges_per_s", benignExchanges.length / scanSeconds, "exchanges/s");

// The guarantee is marginal over the draw of the reference: a few more (reference, benign) draws
// estimate the mean rate, which is what α bounds (BENCH_FPR_DRAWS, default 3).
{
  const rates = [benignScan, looseScan].map((result) => keyDaysFlagged(result) / result.key_days);
  const draws = Number(process.env.BENCH_FPR_DRAWS ?? 3);
  for (let draw = 1; draw <= draws; draw++) {
    const other = buildReference(directExchanges(simulateTraffic({ seed: `bench-reference-${draw}`, pools, benignKeys: referencePeople, appKeys: Math.round(referencePeople * 0.015), prefix: "ref" }).requests));
    const traffic = simulateTraffic({ seed: `bench-benign-${draw}`, pools, benignKeys: 3000, appKeys: 45, days: 2, prefix: "benign" });
    const result = scan(directExchanges(traffic.requests), other, { fpr: LOOSE });
    const strict = keyDaysFlagged(result, FPR);
    const loose = keyDaysFlagged(result, LOOSE);
    print(`monitor_fpr_benign_draw_${draw}`, strict / result.key_days, `(${strict} of ${result.key_days}; ${loose} at 1e-2)`);
    rates.push(strict / result.key_days, loose / result.key_days);
  }
  const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;
  print("monitor_fpr_benign_mean", mean(rates.filter((_, i) => i % 2 === 0)), `(${draws + 1} references)`);
  print("monitor_fpr_benign_mean_at_1e-2", mean(rates.filter((_, i) => i % 2 === 1)));
}

// ---------- campaigns ----------
const harvestPrompts = (await builtinPromptSet("mixed")).map((prompt) => prompt.messages.at(-1).content);
function campaignRun(seed, campaigns, background = { benignKeys: 200, appKeys: 3 }) {
  // Campaign wrappers held out from tuning, as the prompts are (the simulator's default wording is
  // what the detector's constants were chosen on).
  const traffic = simulateTraffic({ seed, pools, ...background, campaigns, prefix: "run", wording: HELD_OUT_WORDING });
  const exchanges = directExchanges(traffic.requests);
  return { traffic, exchanges, result: scan(exchanges, reference, { fpr: LOOSE }) };
}
// Single-key scenarios count only key alerts: campaigns of one run share the simulator's templates,
// and a cluster of them is the hydra's case, not theirs.
const covered = (result, rate = FPR, scope = null) => new Set(result.alerts.filter((alert) => alert.p_value <= rate && (scope === null || alert.scope === scope)).flatMap((alert) => alert.keys));
const campaignKeys = (traffic, prefix) => traffic.keys.filter((key) => key.role.startsWith(prefix)).map((key) => key.name);

const windowsByKey = (exchanges, size) => {
  const byKey = new Map();
  for (const exchange of exchanges) {
    let list = byKey.get(exchange.keyId);
    if (!list) byKey.set(exchange.keyId, (list = []));
    if (list.length < size) list.push(exchange.prompt);
  }
  return byKey;
};
const mmdWindow = (prompts) => prompts.map((prompt) => embed(prompt));
const rng = createRandom("bench-mmd");
const referenceWindows = [...windowsByKey(directExchanges(referenceTraffic.requests), 100).values()].filter((w) => w.length === 100).slice(0, 60).map(mmdWindow);
t = performance.now();
const mmd = fitMmdDetector(referenceWindows, rng, { references: 20, nullPairs: 1000 });
print("mmd_fit_s", (performance.now() - t) / 1000, "s");
const mmdFlags = (exchanges, keys) => {
  const windows = windowsByKey(exchanges, 100);
  return keys.filter((key) => windows.get(key)?.length === 100 && mmd.score(mmdWindow(windows.get(key))) > mmd.threshold);
};
const benignWindows = windowsByKey(benignExchanges, 100);
const benignFull = [...benignWindows.keys()].filter((key) => benignWindows.get(key).length === 100).slice(0, 200);
print("mmd_fpr_benign", mmdFlags(benignExchanges, benignFull).length / benignFull.length, `(${benignFull.length} benign windows of 100)`);

const latencies = [];
function scenario(name, campaign, count, judge = (keys, hit) => keys.filter((key) => hit.has(key)).length, seed = name) {
  const { traffic, exchanges, result } = campaignRun(`bench-${seed}`, Array.from({ length: count }, () => campaign));
  const prefix = `run-${campaign.kind}`;
  const keys = campaignKeys(traffic, prefix);
  const hit = covered(result, FPR, "key");
  if (campaign.kind === "harvest") {
    for (const alert of result.alerts) if (alert.scope === "key" && keys.includes(alert.keys[0])) latencies.push(alert.exchanges_before_alert);
  }
  return { caught: judge(keys, hit), looseCaught: judge(keys, covered(result, LOOSE, "key")), keys, mmd: mmdFlags(exchanges, keys).length };
}

for (const share of [5, 10, 25, 100]) {
  const { caught, looseCaught, keys, mmd: mmdCaught } = scenario(`share-${share}`, { kind: "hidden", share: share / 100, exchanges: 1000 }, TRIALS);
  print(`monitor_tpr_share_${share}`, caught / keys.length);
  print(`monitor_tpr_share_${share}_at_1e-2`, looseCaught / keys.length);
  print(`mmd_tpr_share_${share}`, mmdCaught / keys.length);
}
{
  let caught = 0;
  let looseCaught = 0;
  let mmdCaught = 0;
  let memberShare = 0;
  const hydras = Math.max(3, Math.round(TRIALS / 4));
  for (let trial = 0; trial < hydras; trial++) {
    const { traffic, exchanges, result } = campaignRun(`bench-hydra-${trial}`, [{ kind: "hydra", keys: 50 }]);
    const keys = campaignKeys(traffic, "run-hydra");
    const hit = covered(result);
    const share = keys.filter((key) => hit.has(key)).length / keys.length;
    memberShare += share / hydras;
    if (share >= 0.5) caught++;
    if (keys.filter((key) => covered(result, LOOSE).has(key)).length >= keys.length / 2) looseCaught++;
    if (mmdFlags(exchanges, keys).length >= keys.length / 2) mmdCaught++;
  }
  print("monitor_tpr_hydra", caught / hydras, `(${hydras} hydras)`);
  print("monitor_tpr_hydra_at_1e-2", looseCaught / hydras);
  print("monitor_hydra_member_coverage", memberShare);
  print("mmd_tpr_hydra", mmdCaught / hydras);
}
{
  const { caught, looseCaught, keys, mmd: mmdCaught } = scenario("evasive", { kind: "evasive", exchanges: 300 }, TRIALS);
  print("monitor_tpr_evasive", caught / keys.length);
  print("monitor_tpr_evasive_at_1e-2", looseCaught / keys.length);
  print("mmd_tpr_evasive", mmdCaught / keys.length);
}
{
  const { caught, looseCaught, keys, mmd: mmdCaught } = scenario("harvest", { kind: "harvest", exchanges: 1000, prompts: harvestPrompts }, Math.max(5, Math.round(TRIALS / 2)));
  print("monitor_tpr_harvest", caught / keys.length);
  print("monitor_tpr_harvest_at_1e-2", looseCaught / keys.length);
  print("mmd_tpr_harvest", mmdCaught / keys.length);
  latencies.sort((a, b) => a - b);
  print("monitor_latency_exchanges_at_1e-2", latencies[latencies.length >> 1] ?? NaN, "exchanges");
  // At the default rate: the harvests again, scanned at 1e-3 so the first look that alerts is known.
  const strict = campaignRun("bench-harvest", Array.from({ length: keys.length }, () => ({ kind: "harvest", exchanges: 1000, prompts: harvestPrompts })));
  const strictLatencies = scan(strict.exchanges, reference, { fpr: FPR }).alerts.filter((alert) => alert.scope === "key" && alert.keys[0].startsWith("run-harvest")).map((alert) => alert.exchanges_before_alert).sort((a, b) => a - b);
  print("monitor_latency_exchanges", strictLatencies[strictLatencies.length >> 1] ?? NaN, "exchanges");
}

// ---------- gateway overhead: the monitor off and on, interleaved in one run ----------
async function gateway(monitor) {
  const dir = mkdtempSync(join(tmpdir(), "pedigree-bench-monitor-"));
  const app = await createGatewayApp({ dataDir: dir, models: { echo: echoModel }, monitor });
  const server = await startGatewayServer(app, { host: "127.0.0.1", port: 0 });
  const { secret } = await app.context.keys.create("bench");
  return { server, secret, close: async () => (await server.close(), rmSync(dir, { recursive: true, force: true })) };
}
const off = await gateway(null);
const on = await gateway({ reference, policy: { fpr: FPR } });
const prompts = benign.requests.slice(0, 4000);
const samples = { off: [], on: [] };
const ask = async (target, request) => {
  const started = performance.now();
  const response = await fetch(`${target.server.url}/v1/chat/completions`, {
    method: "POST", headers: { authorization: `Bearer ${target.secret}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "echo", messages: request.messages, ...request.params }),
  });
  await response.arrayBuffer();
  return performance.now() - started;
};
for (let i = 0; i < Number(process.env.BENCH_SAMPLES ?? 2000); i++) {
  const request = prompts[i % prompts.length];
  const first = i % 2 === 0 ? "off" : "on";
  const second = first === "off" ? "on" : "off";
  samples[first].push(await ask(first === "off" ? off : on, request));
  samples[second].push(await ask(second === "off" ? off : on, request));
}
const p50 = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
print("gateway_p50_ms_monitor_off", p50(samples.off), "ms");
print("gateway_p50_ms_monitor_on", p50(samples.on), "ms");
print("overhead_p50_ms", p50(samples.on) - p50(samples.off), "ms");
print("monitor_on_off_p50_ratio", p50(samples.on) / p50(samples.off));
await off.close();
await on.close();
