// Gateway benchmark (imports the built package by its name; run `npm run build` first).
// The gateway runs in a child process (one Node process, one event loop), the fake OpenAI-compatible
// upstream in a worker thread, the client on the main thread, all on loopback.
// Prints one `name: value unit` line per figure:
//   overhead_p50_ms, overhead_p99_ms  latency added vs calling the upstream directly (same run,
//                                     concurrency 1, interleaved, exchange log on)
//   throughput_rps_c16, _c64          gateway requests per second (autocannon), with error counts
//   ttfb_overhead_ms                  time added to the first streamed chunk (median)
//   bare_proxy_overhead_p50_ms        the same for a bare node:http forwarding proxy (the floor of
//                                     one extra Node hop), and the gateway's overhead as a ratio of it
//   log_rows_per_s                    sustained exchange-log appends, every row accounted for
//   gateway_cpu_ms_per_request        the gateway process's CPU time per request under load, and
//   cpu_bound_rps                     1000 / that: what one otherwise idle core sustains. On a shared,
//                                     busy machine these two are steadier than wall-clock figures.
//   adapter_{sdk,http}_p50_us         one generate() through the OpenAI-compatible adapter on each
//   adapter_{sdk,http}_cpu_us_per_request  transport (official SDK, node:http), interleaved in one
//   adapter_sdk_vs_http_*_ratio       process against an upstream in another; CPU is this process's
//                                     alone. The gateway uses the transport with less work per request.
// GATEWAY_BENCH=adapter runs only the adapter figures.
// BENCH_SECONDS (default 5) sets each autocannon run; BENCH_SAMPLES (default 2000) the latency samples.
import { Agent, createServer, request } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fork } from "node:child_process";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";


// ---------- worker roles ----------
async function runUpstream(report = (message) => parentPort.postMessage(message)) {
  const completion = JSON.stringify({
    id: "chatcmpl-bench", object: "chat.completion", created: 1, model: "bench", system_fingerprint: null,
    choices: [{ index: 0, message: { role: "assistant", content: "Paris is the capital of France." }, logprobs: null, finish_reason: "stop" }],
    usage: { prompt_tokens: 12, completion_tokens: 8, total_tokens: 20 },
  });
  const chunk = (choices, usage = null) => `data: ${JSON.stringify({ id: "chatcmpl-bench", object: "chat.completion.chunk", created: 1, model: "bench", choices, usage })}\n\n`;
  const stream = [
    chunk([{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }]),
    ...["Paris", " is", " the", " capital."].map((word) => chunk([{ index: 0, delta: { content: word }, finish_reason: null }])),
    chunk([{ index: 0, delta: {}, finish_reason: "stop" }]),
    chunk([], { prompt_tokens: 12, completion_tokens: 4, total_tokens: 16 }),
    "data: [DONE]\n\n",
  ];
  const server = createServer((req, res) => {
    const parts = [];
    req.on("data", (part) => parts.push(part));
    req.on("end", () => {
      const streamed = Buffer.concat(parts).includes('"stream":true');
      if (!streamed) {
        res.writeHead(200, { "content-type": "application/json" });
        return res.end(completion);
      }
      res.writeHead(200, { "content-type": "text/event-stream" });
      for (const piece of stream) res.write(piece);
      res.end();
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1", () => report({ port: server.address().port }));
}

async function runGateway() {
  const { createGatewayApp, startGatewayServer } = await import("pedigree/gateway");
  const [dataDir, upstreamPort] = process.argv.slice(3);
  const app = createGatewayApp({
    dataDir,
    models: { bench: `http://127.0.0.1:${upstreamPort}/v1#bench` },
    config: { limits: { upstream_retries: 0 } },
  });
  const { secret } = app.context.keys.create("bench");
  const server = await startGatewayServer(app);
  process.send({ port: server.port, secret });
  process.on("message", async (message) => {
    if (message === "stats") {
      const rows = app.context.db.prepare("SELECT COUNT(*) AS n FROM exchanges").get().n;
      const cpu = process.cpuUsage();
      process.send({ rows, cpuMs: (cpu.user + cpu.system) / 1000 });
    }
    if (message === "stop") {
      await server.close(5000);
      process.send({ stopped: true });
      process.disconnect();
    }
  });
}

// A bare node:http proxy with keep-alive: the floor any Node gateway pays for the extra hop.
async function runBareProxy() {
  const upstreamPort = Number(process.argv[3]);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const server = createServer((req, res) => {
    const parts = [];
    req.on("data", (part) => parts.push(part));
    req.on("end", () => {
      const body = Buffer.concat(parts);
      const out = request({ host: "127.0.0.1", port: upstreamPort, path: req.url, method: "POST", agent, headers: { "content-type": "application/json", "content-length": body.length } }, (up) => {
        res.writeHead(up.statusCode, { "content-type": up.headers["content-type"] });
        up.pipe(res);
      });
      out.end(body);
    });
  });
  server.listen(0, "127.0.0.1", () => process.send({ port: server.address().port }));
}

// The adapter's two transports, request by request in turn against one upstream process. CPU time
// is measured over alternating blocks (process.cpuUsage cannot split interleaved requests).
async function adapterTransports(upstreamPort, samples) {
  const { resolveModel } = await import("pedigree/models");
  const reference = `http://127.0.0.1:${upstreamPort}/v1#bench`;
  const models = { sdk: await resolveModel(reference, { transport: "sdk", maxRetries: 0 }), http: await resolveModel(reference, { transport: "http", maxRetries: 0 }) };
  const request = { messages: [{ role: "user", content: "What is the capital of France?" }], maxTokens: 16 };
  const elapsed = { sdk: [], http: [] };
  const cpu = { sdk: 0, http: 0 };
  const once = async (name) => {
    const start = process.hrtime.bigint();
    const result = await models[name].generate(request);
    if (!result.text) throw new Error(`${name}: empty answer`);
    return Number(process.hrtime.bigint() - start) / 1e3;
  };
  for (let i = 0; i < 300; i++) for (const name of ["sdk", "http"]) await once(name);
  for (let i = 0; i < samples; i++) for (const name of i % 2 ? ["sdk", "http"] : ["http", "sdk"]) elapsed[name].push(await once(name));
  const block = 100;
  for (let round = 0; round < Math.max(4, samples / block / 2); round++) {
    for (const name of round % 2 ? ["sdk", "http"] : ["http", "sdk"]) {
      const before = process.cpuUsage();
      for (let i = 0; i < block; i++) await once(name);
      const used = process.cpuUsage(before);
      cpu[name] += (used.user + used.system) / block;
    }
  }
  const rounds = Math.max(4, samples / block / 2);
  for (const model of Object.values(models)) await model.close?.();
  return {
    p50: { sdk: quantile(elapsed.sdk, 0.5), http: quantile(elapsed.http, 0.5) },
    cpu: { sdk: cpu.sdk / rounds, http: cpu.http / rounds },
  };
}

// ---------- client side ----------
function startWorker(role, data) {
  const worker = new Worker(new URL(import.meta.url), { workerData: { role, ...data } });
  return new Promise((resolve, reject) => {
    worker.once("message", (message) => resolve({ worker, ...message }));
    worker.once("error", reject);
  });
}

function startGateway(dataDir, upstreamPort) {
  return startChild(["gateway", dataDir, String(upstreamPort)]);
}

function startChild(args) {
  const child = fork(new URL(import.meta.url), args, { stdio: "inherit" });
  return new Promise((resolve, reject) => {
    child.once("message", (message) => resolve({ child, ...message }));
    child.once("error", reject);
  });
}

function ask(child, message) {
  return new Promise((resolve) => {
    child.once("message", resolve);
    child.send(message);
  });
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const body = (stream) => JSON.stringify({ model: "bench", messages: [{ role: "user", content: "What is the capital of France?" }], ...(stream ? { stream: true } : {}) });

/** One request; resolves with [ms to first body byte, ms to end]. */
function timed(port, headers, payload) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    let first = 0;
    const req = request({ host: "127.0.0.1", port, path: "/v1/chat/completions", method: "POST", agent, headers: { "content-type": "application/json", ...headers } }, (res) => {
      res.on("data", () => {
        if (!first) first = Number(process.hrtime.bigint() - start) / 1e6;
      });
      res.on("end", () => (res.statusCode === 200 ? resolve([first, Number(process.hrtime.bigint() - start) / 1e6]) : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on("error", reject);
    req.end(payload);
  });
}

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const print = (name, value, unit) => console.log(`${name}: ${Number(value.toFixed(3))} ${unit}`);

async function latency(upstreamPort, gatewayPort, secret, samples, stream, bareProxyPort) {
  const direct = [];
  const through = [];
  const bare = [];
  const auth = { authorization: `Bearer ${secret}` };
  const payload = body(stream);
  for (let i = 0; i < 200; i++) {
    await timed(upstreamPort, {}, payload);
    await timed(gatewayPort, auth, payload);
  }
  for (let i = 0; i < samples; i++) {
    // Interleaved so both see the same machine noise.
    direct.push(await timed(upstreamPort, {}, payload));
    through.push(await timed(gatewayPort, auth, payload));
    if (bareProxyPort) bare.push(await timed(bareProxyPort, {}, payload));
  }
  return { direct, through, bare };
}

async function throughput(port, secret, connections, seconds) {
  const { default: autocannon } = await import("autocannon");
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/v1/chat/completions`,
    method: "POST",
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
    body: body(false),
    connections,
    duration: seconds,
  });
  return { rps: result.requests.average, errors: result.errors + result.non2xx + result.timeouts, total: result.requests.total };
}

async function logRowsPerSecond(rows) {
  const { openDatabase, ExchangeLog, verifyLog } = await import("pedigree/gateway");
  const dir = mkdtempSync(join(tmpdir(), "pedigree-bench-log-"));
  const db = openDatabase(dir);
  const log = new ExchangeLog(db);
  const request = JSON.stringify({ messages: [{ role: "user", content: "What is the capital of France?" }], params: {} });
  const entry = (i) => ({ ts: Date.now(), key_id: "key_bench", model: "bench", request, response: "Paris is the capital of France.", prompt_tokens: 12, completion_tokens: 8, total_tokens: 20, latency_ms: 1.234, status: 200, finish_reason: "stop", watermark_key_id: null, decision: "allowed", distillation_licensed: i % 2 });
  const start = process.hrtime.bigint();
  // 64 exchanges in flight at a time, as a loaded server would append them.
  for (let done = 0; done < rows; done += 64) await Promise.all(Array.from({ length: Math.min(64, rows - done) }, (_, i) => log.append(entry(done + i))));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const stored = db.prepare("SELECT COUNT(*) AS n FROM exchanges").get().n;
  const verified = verifyLog(db).ok;
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return { perSecond: rows / seconds, stored, verified };
}

async function printAdapterTransports(samples) {
  const upstream = await startChild(["upstream"]);
  try {
    const adapter = await adapterTransports(upstream.port, Math.ceil(samples / 2));
    print("adapter_sdk_p50_us", adapter.p50.sdk, "us");
    print("adapter_http_p50_us", adapter.p50.http, "us");
    print("adapter_sdk_vs_http_p50_ratio", adapter.p50.sdk / adapter.p50.http, "x");
    print("adapter_sdk_cpu_us_per_request", adapter.cpu.sdk, "us");
    print("adapter_http_cpu_us_per_request", adapter.cpu.http, "us");
    print("adapter_sdk_vs_http_cpu_ratio", adapter.cpu.sdk / adapter.cpu.http, "x");
  } finally {
    upstream.child.kill();
  }
}

async function main() {
  // GATEWAY_BENCH=adapter: only the adapter's transports.
  if (process.env.GATEWAY_BENCH === "adapter") return printAdapterTransports(Number(process.env.BENCH_SAMPLES ?? 2000));
  const seconds = Number(process.env.BENCH_SECONDS ?? 5);
  const samples = Number(process.env.BENCH_SAMPLES ?? 2000);
  const dataDir = mkdtempSync(join(tmpdir(), "pedigree-bench-gateway-"));
  const upstream = await startWorker("upstream", {});
  const gateway = await startGateway(dataDir, upstream.port);
  const bareProxy = await startChild(["bare-proxy", String(upstream.port)]);
  try {
    const plain = await latency(upstream.port, gateway.port, gateway.secret, samples, false, bareProxy.port);
    const end = (pairs) => pairs.map((pair) => pair[1]);
    print("direct_p50_ms", quantile(end(plain.direct), 0.5), "ms");
    print("gateway_p50_ms", quantile(end(plain.through), 0.5), "ms");
    print("overhead_p50_ms", quantile(end(plain.through), 0.5) - quantile(end(plain.direct), 0.5), "ms");
    print("overhead_p99_ms", quantile(end(plain.through), 0.99) - quantile(end(plain.direct), 0.99), "ms");
    // Peer in the same run: the added latency of a proxy that does nothing but forward.
    const bareOverhead = quantile(end(plain.bare), 0.5) - quantile(end(plain.direct), 0.5);
    print("bare_proxy_overhead_p50_ms", bareOverhead, "ms");
    print("overhead_p50_vs_bare_proxy_ratio", (quantile(end(plain.through), 0.5) - quantile(end(plain.direct), 0.5)) / bareOverhead, "x");
    const streamed = await latency(upstream.port, gateway.port, gateway.secret, Math.ceil(samples / 4), true);
    const first = (pairs) => pairs.map((pair) => pair[0]);
    print("ttfb_overhead_ms", quantile(first(streamed.through), 0.5) - quantile(first(streamed.direct), 0.5), "ms");
    const before = await ask(gateway.child, "stats");
    let answered = 0;
    for (const connections of [16, 64]) {
      const run = await throughput(gateway.port, gateway.secret, connections, seconds);
      answered += run.total;
      print(`throughput_rps_c${connections}`, run.rps, "req/s");
      print(`errors_c${connections}`, run.errors, "count");
    }
    const after = await ask(gateway.child, "stats");
    const logged = after.rows - before.rows;
    print("gateway_cpu_ms_per_request", (after.cpuMs - before.cpuMs) / logged, "ms");
    print("cpu_bound_rps", (1000 * logged) / (after.cpuMs - before.cpuMs), "req/s");
    // autocannon may stop with requests in flight, so logged rows can exceed counted answers slightly.
    print("log_rows_missing_under_load", Math.max(0, answered - logged), "count");
    await printAdapterTransports(samples);
    const log = await logRowsPerSecond(Number(process.env.BENCH_LOG_ROWS ?? 50_000));
    print("log_rows_per_s", log.perSecond, "rows/s");
    print("log_rows_dropped", Number(process.env.BENCH_LOG_ROWS ?? 50_000) - log.stored + (log.verified ? 0 : 1), "count");
  } finally {
    await ask(gateway.child, "stop");
    bareProxy.child.kill();
    await upstream.worker.terminate();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[2] === "gateway") await runGateway();
else if (process.argv[2] === "upstream") await runUpstream((message) => process.send(message));
else if (process.argv[2] === "bare-proxy") await runBareProxy();
else if (isMainThread) await main();
else await runUpstream();
