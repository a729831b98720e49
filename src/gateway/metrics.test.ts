// GET /metrics: who may read it, its format, and that the counters follow real traffic sent with the
// official openai client (answers, streams, denials, upstream failures, log commits).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyEnvironment, parseConfig } from "./config.js";
import { sha256Hex } from "./store/index.js";
import { GatewayMetrics } from "./metrics.js";
import { echoModel } from "./test-support/fake-models.js";
import { ADMIN_KEY, startHarness, type Harness } from "./test-support/harness.js";
import { sampleValue } from "./test-support/metrics-text.js";

const METRICS_TOKEN = "metrics-scraper-token";
let harness: Harness;
let secret: string;

beforeAll(async () => {
  harness = await startHarness(
    { echo: echoModel(), broken: echoModel({ fail: () => Object.assign(new Error("engine crashed"), { status: 500 }) }) },
    { config: { metrics_token_sha256: sha256Hex(METRICS_TOKEN) } },
  );
  secret = (await harness.createKey("main")).secret;
});
afterAll(() => harness.stop());

const scrape = (token?: string) => fetch(`${harness.server.url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
const scrapeText = async () => {
  const response = await scrape(METRICS_TOKEN);
  expect(response.status).toBe(200);
  return response.text();
};
const ask = (content: string) => [{ role: "user" as const, content }];

describe("GET /metrics access", () => {
  it("needs the admin key or the metrics token", async () => {
    expect((await scrape()).status).toBe(401);
    expect((await scrape(secret)).status).toBe(401);
    expect((await scrape("not-a-token")).status).toBe(401);
    expect((await scrape(ADMIN_KEY)).status).toBe(200);
    expect((await scrape(METRICS_TOKEN)).status).toBe(200);
  });

  it("gives the metrics token nothing else", async () => {
    const response = await fetch(`${harness.server.url}/admin/keys`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status).toBe(401);
  });

  it("is off when neither secret is configured", async () => {
    const closed = await startHarness({ echo: echoModel() }, { adminKey: undefined });
    try {
      const response = await fetch(`${closed.server.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
      expect(response.status).toBe(403);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("admin_disabled");
    } finally {
      await closed.stop();
    }
  });

  it("speaks the Prometheus text format", async () => {
    const response = await scrape(METRICS_TOKEN);
    expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const text = await response.text();
    expect(text).toContain("# TYPE pedigree_gateway_requests_total counter");
    expect(text).toContain("# TYPE pedigree_gateway_request_duration_seconds histogram");
    expect(text).toContain("# TYPE pedigree_gateway_log_commit_seconds histogram");
    expect(text).toContain("# TYPE pedigree_monitor_alerts_total counter");
    expect(text).toContain("process_resident_memory_bytes");
  });

  it("takes the metrics token from PEDIGREE_METRICS_TOKEN", () => {
    const config = applyEnvironment(parseConfig({}), { PEDIGREE_METRICS_TOKEN: METRICS_TOKEN });
    expect(config.metrics_token_sha256).toBe(sha256Hex(METRICS_TOKEN));
  });
});

describe("counters follow the traffic", () => {
  it("counts answers, streams and tokens, and times requests and log commits", async () => {
    const before = await scrapeText();
    const labels = { model: "echo", status: "200", decision: "allowed" };
    const client = harness.client(secret);
    const answer = await client.chat.completions.create({ model: "echo", messages: ask("one two three") });
    const stream = await client.chat.completions.create({ model: "echo", messages: ask("a b"), stream: true, stream_options: { include_usage: true } });
    let streamed = { prompt_tokens: 0, completion_tokens: 0 };
    for await (const chunk of stream) if (chunk.usage) streamed = chunk.usage;
    const after = await scrapeText();

    const delta = (name: string, sampleLabels: Record<string, string>) => sampleValue(after, name, sampleLabels) - sampleValue(before, name, sampleLabels);
    expect(delta("pedigree_gateway_requests_total", labels)).toBe(2);
    expect(delta("pedigree_gateway_prompt_tokens_total", { model: "echo" })).toBe(answer.usage!.prompt_tokens + streamed.prompt_tokens);
    expect(delta("pedigree_gateway_completion_tokens_total", { model: "echo" })).toBe(answer.usage!.completion_tokens + streamed.completion_tokens);
    expect(delta("pedigree_gateway_request_duration_seconds_count", { model: "echo", status: "200" })).toBe(2);
    expect(delta("pedigree_gateway_request_duration_seconds_bucket", { model: "echo", status: "200", le: "+Inf" })).toBe(2);
    expect(delta("pedigree_gateway_log_commit_seconds_count", {})).toBe(2);
    expect(sampleValue(after, "pedigree_gateway_log_commit_seconds_sum")).toBeGreaterThan(0);
  });

  it("counts upstream failures by code and denials by decision", async () => {
    const limited = (await harness.createKey("limited", { rpm: 1 })).secret;
    const before = await scrapeText();
    await expect(harness.client(secret).chat.completions.create({ model: "broken", messages: ask("x") })).rejects.toMatchObject({ status: 502 });
    await harness.client(limited).chat.completions.create({ model: "echo", messages: ask("x") });
    await expect(harness.client(limited).chat.completions.create({ model: "echo", messages: ask("x") })).rejects.toMatchObject({ status: 429 });
    const after = await scrapeText();
    const delta = (name: string, labels: Record<string, string>) => sampleValue(after, name, labels) - sampleValue(before, name, labels);
    expect(delta("pedigree_gateway_upstream_errors_total", { model: "broken", code: "upstream_error" })).toBe(1);
    expect(delta("pedigree_gateway_requests_total", { model: "broken", status: "502", decision: "allowed" })).toBe(1);
    expect(delta("pedigree_gateway_requests_total", { model: "echo", status: "429", decision: "denied:rate_limit_exceeded" })).toBe(1);
    expect(delta("pedigree_gateway_log_failures_total", {})).toBe(0);
  });
});

describe("GatewayMetrics", () => {
  it("keeps one registry per app and counts monitor alerts", async () => {
    const first = new GatewayMetrics({ processMetrics: false });
    const second = new GatewayMetrics({ processMetrics: false });
    first.recordAlert({ scope: "key", action: "flag" });
    first.recordAlert({ scope: "key", action: "flag" });
    expect(sampleValue((await first.exposition()).body, "pedigree_monitor_alerts_total", { scope: "key", action: "flag" })).toBe(2);
    expect(sampleValue((await second.exposition()).body, "pedigree_monitor_alerts_total", { scope: "key", action: "flag" })).toBe(0);
  });

  it("counts a log that fails to commit", async () => {
    const metrics = new GatewayMetrics({ processMetrics: false });
    const failing = Promise.reject(new Error("disk full"));
    metrics.recordExchange({ model: "m", status: 200, decision: "allowed", promptTokens: 1, completionTokens: 2, startedAt: performance.now() }, failing);
    await failing.catch(() => undefined);
    const text = (await metrics.exposition()).body;
    expect(sampleValue(text, "pedigree_gateway_log_failures_total")).toBe(1);
    expect(sampleValue(text, "pedigree_gateway_log_commit_seconds_count")).toBe(0);
  });
});
