// What the gateway's Prometheus metrics cost (run after `npm run build`):
//   metrics_record_us_per_exchange    CPU per logged exchange: counters, tokens, both histograms
//   log_append_us_per_row             the exchange log's own cost per row on SQLite (group commit),
//                                     the peer measured in the same run
//   metrics_vs_log_append_ratio       the first as a share of the second
//   metrics_scrape_ms                 one GET /metrics rendering with 40 models x 6 statuses
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GatewayMetrics, openDatabase, SqliteStore } from "../dist/gateway/index.js";

const print = (name, value, unit) => console.log(`${name}: ${Number(value.toFixed(3))} ${unit}`);
const EXCHANGES = Number(process.env.BENCH_EXCHANGES ?? 200_000);
const ROWS = Number(process.env.BENCH_LOG_ROWS ?? 20_000);
const BATCH = 50;

async function metricsCost() {
  const metrics = new GatewayMetrics({ processMetrics: false });
  const committed = Promise.resolve(1);
  const exchange = (i) => ({ model: `model-${i % 4}`, status: 200, decision: "allowed", promptTokens: 12, completionTokens: 40, startedAt: performance.now() - 5 });
  for (let i = 0; i < 10_000; i++) metrics.recordExchange(exchange(i), committed);
  await new Promise((resolve) => setImmediate(resolve));
  const start = process.cpuUsage();
  for (let i = 0; i < EXCHANGES; i++) {
    metrics.recordExchange(exchange(i), committed);
    if (i % 1000 === 999) await new Promise((resolve) => setImmediate(resolve)); // let the commit callbacks run
  }
  await new Promise((resolve) => setImmediate(resolve));
  const used = process.cpuUsage(start);
  return (used.user + used.system) / EXCHANGES;
}

async function logCost() {
  const dir = mkdtempSync(join(tmpdir(), "pedigree-bench-metrics-"));
  const store = new SqliteStore(openDatabase(dir));
  const log = await store.openWriter("bench");
  const row = (i) => ({ ts: 1_700_000_000_000 + i, key_id: "key_bench", model: "atlas", request: JSON.stringify({ messages: [{ role: "user", content: `question ${i}` }] }), response: "an answer of a few words", prompt_tokens: 12, completion_tokens: 40, total_tokens: 52, latency_ms: 5, status: 200, finish_reason: "stop", watermark_key_id: null, decision: "allowed", distillation_licensed: 0 });
  const start = process.cpuUsage();
  for (let i = 0; i < ROWS; i += BATCH) await Promise.all(Array.from({ length: BATCH }, (_, j) => log.append(row(i + j))));
  const used = process.cpuUsage(start);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return (used.user + used.system) / ROWS;
}

async function scrapeCost() {
  const metrics = new GatewayMetrics();
  const committed = Promise.resolve(1);
  for (let m = 0; m < 40; m++) for (const status of [200, 400, 404, 429, 502, 504]) metrics.recordExchange({ model: `model-${m}`, status, decision: "allowed", promptTokens: 3, completionTokens: 4, startedAt: performance.now() }, committed);
  await new Promise((resolve) => setImmediate(resolve));
  for (let i = 0; i < 5; i++) await metrics.exposition();
  const times = [];
  for (let i = 0; i < 30; i++) {
    const start = performance.now();
    await metrics.exposition();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

const record = await metricsCost();
const append = await logCost();
print("metrics_record_us_per_exchange", record, "us");
print("log_append_us_per_row", append, "us");
print("metrics_vs_log_append_ratio", record / append, "x");
print("metrics_scrape_ms", await scrapeCost(), "ms");
