// Gateway benchmark (imports the built package by its name; run `npm run build` first).
// The gateway runs in a child process (one Node process, one event loop), the fake OpenAI-compatible
// upstream in a worker thread, the client on the main thread, all on loopback.
// Prints one `name: value unit` line per figure:
//   overhead_p50_ms, overhead_p99_ms  latency added vs calling the upstream directly (same run,
//                                     concurrency 1, interleaved, exchange log on), on SQLite
//   postgres_overhead_p50_ms, _p99_ms the same for a replica on PostgreSQL + Redis, interleaved too
//   throughput_rps_postgres_{1_replica,3_replicas}  requests per second through 1 or 3 replicas of one
//                                     PostgreSQL + Redis (on a small machine: contention, not scaling)
//   log_rows_per_s_postgres_3_replicas  appends by three writer processes (one chain each) at once,
//                                     every row accounted for and every chain verified
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
// GATEWAY_BENCH=adapter runs only the adapter figures; GATEWAY_BENCH=overhead only the SQLite gateway's
// and the bare proxy's latency figures (direct, gateway, overhead, bare proxy, ratio). With it,
// BENCH_PEER_GATEWAY=FILE (another build's dist/gateway/index.js, inside a checkout whose
// node_modules it can resolve) runs that gateway too, interleaved: peer_overhead_p50_ms and
// overhead_vs_peer_p50_ratio compare two versions of the code in one run.
// BENCH_SECONDS (default 5) sets each autocannon run; BENCH_SAMPLES (default 2000) the latency samples.
// BENCH_DATABASE_URL / BENCH_REDIS_URL (default 127.0.0.1:5432 database test, 127.0.0.1:6379): where the
// PostgreSQL figures run (a database of their own, dropped after); unreachable: those figures are
// skipped with a line on stderr. BENCH_CPU_PROF=DIR: the gateway processes write CPU profiles there.
import { Agent, createServer, request } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
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
  const { createGatewayApp, startGatewayServer } = await import(process.env.BENCH_GATEWAY_MODULE ?? "pedigree/gateway");
  // storage: "sqlite", or a JSON { postgres, redis, redis_prefix } shared by replicas.
  const [dataDir, upstreamPort, storageArg = "sqlite", replica] = process.argv.slice(3);
  const storage = storageArg === "sqlite" ? undefined : JSON.parse(storageArg);
  const app = await createGatewayApp({
    dataDir,
    models: { bench: `http://127.0.0.1:${upstreamPort}/v1#bench` },
    config: { limits: { upstream_retries: 0 }, ...(storage ? { storage, replica } : {}) },
  });
  const secret = process.env.BENCH_SECRET || (await app.context.keys.create("bench")).secret;
  const server = await startGatewayServer(app);
  process.send({ port: server.port, secret });
  process.on("message", async (message) => {
    if (message === "stats") {
      const rows = (await app.context.reader.usage(0)).reduce((sum, usage) => sum + usage.requests, 0);
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

// One replica's log writer appending `rows` rows, 64 in flight, as a loaded server would.
async function runLogWriter() {
  const { PostgresStore } = await import("pedigree/gateway");
  const [url, replica, rows] = process.argv.slice(3);
  const store = await PostgresStore.open({ postgres: url, poolSize: 2 });
  const log = await store.openWriter(replica);
  process.send({ ready: true });
  await new Promise((go) => process.once("message", go));
  const request = JSON.stringify({ messages: [{ role: "user", content: "What is the capital of France?" }], params: {} });
  const entry = (i) => ({ ts: Date.now(), key_id: "key_bench", model: "bench", request, response: "Paris is the capital of France.", prompt_tokens: 12, completion_tokens: 8, total_tokens: 20, latency_ms: 1.234, status: 200, finish_reason: "stop", watermark_key_id: null, decision: "allowed", distillation_licensed: i % 2 });
  let committed = 0;
  for (let done = 0; done < Number(rows); done += 64) {
    const seqs = await Promise.all(Array.from({ length: Math.min(64, Number(rows) - done) }, (_, i) => log.append(entry(done + i))));
    committed += seqs.length;
  }
  await store.close();
  process.send({ committed });
  process.disconnect();
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

function startGateway(dataDir, upstreamPort, storage = "sqlite", replica = "", env = {}) {
  return startChild(["gateway", dataDir, String(upstreamPort), storage, replica], env);
}

function startChild(args, env = {}) {
  // BENCH_CPU_PROF=DIR: the gateway processes write a V8 CPU profile there when they stop.
  const profile = process.env.BENCH_CPU_PROF && args[0] === "gateway" ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = fork(new URL(import.meta.url), args, { stdio: "inherit", execArgv: [...process.execArgv, ...profile], env: { ...process.env, ...env } });
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

async function latency(upstreamPort, gatewayPort, secret, samples, stream, bareProxyPort, postgresGateway, peerGateway) {
  const direct = [];
  const through = [];
  const bare = [];
  const postgres = [];
  const peer = [];
  const auth = { authorization: `Bearer ${secret}` };
  const payload = body(stream);
  for (let i = 0; i < 200; i++) {
    await timed(upstreamPort, {}, payload);
    await timed(gatewayPort, auth, payload);
    if (postgresGateway) await timed(postgresGateway.port, { authorization: `Bearer ${postgresGateway.secret}` }, payload);
    if (peerGateway) await timed(peerGateway.port, { authorization: `Bearer ${peerGateway.secret}` }, payload);
  }
  for (let i = 0; i < samples; i++) {
    // Interleaved so all see the same machine noise; the peer alternately just before and just after.
    const timePeer = async () => peerGateway && peer.push(await timed(peerGateway.port, { authorization: `Bearer ${peerGateway.secret}` }, payload));
    direct.push(await timed(upstreamPort, {}, payload));
    if (i % 2) await timePeer();
    through.push(await timed(gatewayPort, auth, payload));
    if (i % 2 === 0) await timePeer();
    if (bareProxyPort) bare.push(await timed(bareProxyPort, {}, payload));
    if (postgresGateway) postgres.push(await timed(postgresGateway.port, { authorization: `Bearer ${postgresGateway.secret}` }, payload));
  }
  return { direct, through, bare, postgres, peer };
}

// PostgreSQL (and Redis) for the replica figures: a database of the bench's own, dropped after.
async function postgresBench() {
  const admin = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
  const redis = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
  const { default: pg } = await import("pg");
  const { Redis } = await import("ioredis");
  const name = `pedigree_bench_${process.pid}_${Date.now()}`;
  const client = new pg.Client({ connectionString: admin, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query(`CREATE DATABASE ${name}`);
    const probe = new Redis(redis, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    await probe.connect();
    probe.disconnect();
  } catch (error) {
    await client.end().catch(() => undefined);
    console.error(`gateway bench: PostgreSQL or Redis unreachable (${error.message}); the PostgreSQL figures are skipped`);
    return null;
  }
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const prefix = `${name}:`;
  return {
    url: url.toString(),
    storage: JSON.stringify({ postgres: url.toString(), redis, redis_prefix: prefix }),
    async drop() {
      const end = new pg.Client({ connectionString: admin });
      await end.connect();
      await end.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await end.end();
      const cleaner = new Redis(redis);
      const keys = await cleaner.keys(`${prefix}*`);
      if (keys.length > 0) await cleaner.del(...keys);
      cleaner.disconnect();
    },
  };
}

/** log_rows_per_s on PostgreSQL: one writer process per replica, all at once. */
async function postgresLogRows(url, replicas, rowsEach) {
  const writers = await Promise.all(Array.from({ length: replicas }, (_, i) => startChild(["log-writer", url, `bench-${i + 1}`, String(rowsEach)])));
  const start = process.hrtime.bigint();
  const results = await Promise.all(writers.map(({ child }) => new Promise((resolve) => {
    child.once("message", resolve);
    child.send("go");
  })));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const { PostgresStore } = await import("pedigree/gateway");
  const store = await PostgresStore.open({ postgres: url, poolSize: 1 });
  const verified = await store.reader.verify();
  await store.close();
  const committed = results.reduce((sum, result) => sum + result.committed, 0);
  // The replicas of the latency runs log into the same database, on chains of their own.
  const chains = verified.chains.filter((chain) => chain.chain.startsWith("bench-") && !chain.chain.startsWith("bench-replica-"));
  const stored = chains.reduce((sum, chain) => sum + chain.rows, 0);
  return { perSecond: committed / seconds, lost: replicas * rowsEach - stored, verified: verified.ok && chains.length === replicas };
}

/** 1 and 3 replicas in alternating short rounds (medians), so both see the same machine noise;
 *  every replica is warmed alike first (JIT, pool connections, prepared statements). */
async function oneAndThreeReplicas(replicas, seconds) {
  const secret = replicas[0].secret;
  const all = replicas.map((replica) => replica.port);
  await replicaThroughput(all, secret, 48, 2);
  const rounds = { one: [], three: [] };
  let errors = 0;
  for (let round = 0; round < 6; round++) {
    for (const name of round % 2 ? ["three", "one"] : ["one", "three"]) {
      const run = await replicaThroughput(name === "one" ? [all[0]] : all, secret, 48, Math.max(1, Math.round(seconds / 3)));
      rounds[name].push(run.rps);
      errors += run.errors;
    }
  }
  return { one: { rps: quantile(rounds.one, 0.5), errors }, three: { rps: quantile(rounds.three, 0.5), errors: 0 } };
}

/** Requests per second over `ports` at once (one autocannon per replica, as a balancer would spread them). */
async function replicaThroughput(ports, secret, connections, seconds) {
  const runs = await Promise.all(ports.map((port) => throughput(port, secret, Math.ceil(connections / ports.length), seconds)));
  return { rps: runs.reduce((sum, run) => sum + run.rps, 0), errors: runs.reduce((sum, run) => sum + run.errors, 0) };
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
  const { openDatabase, SqliteStore, verifySqliteLog } = await import("pedigree/gateway");
  const dir = mkdtempSync(join(tmpdir(), "pedigree-bench-log-"));
  const db = openDatabase(dir);
  const store = new SqliteStore(db, false);
  const log = await store.openWriter("bench");
  const request = JSON.stringify({ messages: [{ role: "user", content: "What is the capital of France?" }], params: {} });
  const entry = (i) => ({ ts: Date.now(), key_id: "key_bench", model: "bench", request, response: "Paris is the capital of France.", prompt_tokens: 12, completion_tokens: 8, total_tokens: 20, latency_ms: 1.234, status: 200, finish_reason: "stop", watermark_key_id: null, decision: "allowed", distillation_licensed: i % 2 });
  const start = process.hrtime.bigint();
  // 64 exchanges in flight at a time, as a loaded server would append them.
  for (let done = 0; done < rows; done += 64) await Promise.all(Array.from({ length: Math.min(64, rows - done) }, (_, i) => log.append(entry(done + i))));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const stored = db.prepare("SELECT COUNT(*) AS n FROM exchanges").get().n;
  const verified = verifySqliteLog(db).ok;
  await store.close();
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

async function printReplicaFigures(seconds) {
  const postgres = await postgresBench();
  if (!postgres) return;
  const dataDir = mkdtempSync(join(tmpdir(), "pedigree-bench-replicas-"));
  const upstream = await startWorker("upstream", {});
  const replicas = [await startGateway(join(dataDir, "replica-1"), upstream.port, postgres.storage, "bench-replica-1")];
  replicas.push(...(await Promise.all([2, 3].map((n) => startGateway(join(dataDir, `replica-${n}`), upstream.port, postgres.storage, `bench-replica-${n}`, { BENCH_SECRET: replicas[0].secret })))));
  try {
    const { one, three } = await oneAndThreeReplicas(replicas, seconds);
    print("throughput_rps_postgres_1_replica", one.rps, "req/s");
    print("throughput_rps_postgres_3_replicas", three.rps, "req/s");
    print("postgres_3_vs_1_replicas_throughput_ratio", three.rps / one.rps, "x");
    print("errors_postgres_replicas", one.errors + three.errors, "count");
    const rowsEach = Math.ceil(Number(process.env.BENCH_LOG_ROWS ?? 50_000) / 3);
    const shared = await postgresLogRows(postgres.url, 3, rowsEach);
    print("log_rows_per_s_postgres_3_replicas", shared.perSecond, "rows/s");
    print("log_rows_lost_postgres_3_replicas", shared.lost + (shared.verified ? 0 : 1), "count");
  } finally {
    for (const replica of replicas) await ask(replica.child, "stop");
    await upstream.worker.terminate();
    await postgres.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** GATEWAY_BENCH=overhead: the SQLite gateway against the bare proxy, nothing else. */
async function printOverheadOnly(samples) {
  const dataDir = mkdtempSync(join(tmpdir(), "pedigree-bench-gateway-"));
  const upstream = await startWorker("upstream", {});
  const gateway = await startGateway(dataDir, upstream.port);
  const bareProxy = await startChild(["bare-proxy", String(upstream.port)]);
  const peerModule = process.env.BENCH_PEER_GATEWAY;
  const peer = peerModule ? await startGateway(join(dataDir, "peer"), upstream.port, "sqlite", "", { BENCH_GATEWAY_MODULE: pathToFileURL(peerModule).href }) : null;
  try {
    const plain = await latency(upstream.port, gateway.port, gateway.secret, samples, false, bareProxy.port, null, peer);
    const { overhead, bareOverhead } = printOverhead(plain);
    if (peer) {
      print("peer_overhead_p50_ms", overhead(plain.peer, 0.5), "ms");
      print("peer_overhead_p50_vs_bare_proxy_ratio", overhead(plain.peer, 0.5) / bareOverhead, "x");
      print("overhead_vs_peer_p50_ratio", overhead(plain.through, 0.5) / overhead(plain.peer, 0.5), "x");
    }
  } finally {
    await ask(gateway.child, "stop");
    if (peer) await ask(peer.child, "stop");
    bareProxy.child.kill();
    await upstream.worker.terminate();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function printOverhead(plain) {
  const end = (pairs) => pairs.map((pair) => pair[1]);
  const overhead = (pairs, q) => quantile(end(pairs), q) - quantile(end(plain.direct), q);
  print("direct_p50_ms", quantile(end(plain.direct), 0.5), "ms");
  print("gateway_p50_ms", quantile(end(plain.through), 0.5), "ms");
  print("overhead_p50_ms", overhead(plain.through, 0.5), "ms");
  print("overhead_p99_ms", overhead(plain.through, 0.99), "ms");
  // Peer in the same run: the added latency of a proxy that does nothing but forward.
  const bareOverhead = overhead(plain.bare, 0.5);
  print("bare_proxy_overhead_p50_ms", bareOverhead, "ms");
  print("overhead_p50_vs_bare_proxy_ratio", overhead(plain.through, 0.5) / bareOverhead, "x");
  return { end, overhead, bareOverhead };
}

async function main() {
  // GATEWAY_BENCH=adapter: only the adapter's transports.
  if (process.env.GATEWAY_BENCH === "adapter") return printAdapterTransports(Number(process.env.BENCH_SAMPLES ?? 2000));
  // GATEWAY_BENCH=replicas: only the figures of the replica set on PostgreSQL + Redis.
  if (process.env.GATEWAY_BENCH === "replicas") return printReplicaFigures(Number(process.env.BENCH_SECONDS ?? 5));
  const seconds = Number(process.env.BENCH_SECONDS ?? 5);
  const samples = Number(process.env.BENCH_SAMPLES ?? 2000);
  if (process.env.GATEWAY_BENCH === "overhead") return printOverheadOnly(samples);
  const dataDir = mkdtempSync(join(tmpdir(), "pedigree-bench-gateway-"));
  const upstream = await startWorker("upstream", {});
  const gateway = await startGateway(dataDir, upstream.port);
  const bareProxy = await startChild(["bare-proxy", String(upstream.port)]);
  // Three replicas on one PostgreSQL + Redis; the first makes the key the others share.
  const postgres = await postgresBench();
  const replicas = [];
  if (postgres) {
    replicas.push(await startGateway(join(dataDir, "replica-1"), upstream.port, postgres.storage, "bench-replica-1"));
    replicas.push(...(await Promise.all([2, 3].map((n) => startGateway(join(dataDir, `replica-${n}`), upstream.port, postgres.storage, `bench-replica-${n}`, { BENCH_SECRET: replicas[0].secret })))));
  }
  try {
    const plain = await latency(upstream.port, gateway.port, gateway.secret, samples, false, bareProxy.port, replicas[0]);
    const { overhead, bareOverhead } = printOverhead(plain);
    if (postgres) {
      print("postgres_overhead_p50_ms", overhead(plain.postgres, 0.5), "ms");
      print("postgres_overhead_p99_ms", overhead(plain.postgres, 0.99), "ms");
      print("postgres_overhead_p50_vs_bare_proxy_ratio", overhead(plain.postgres, 0.5) / bareOverhead, "x");
    }
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
    if (postgres) {
      // On a 2-core machine the replicas, PostgreSQL, Redis, the upstream and the load generator
      // share the cores: this shows contention, not the scaling of separate machines.
      const { one, three } = await oneAndThreeReplicas(replicas, seconds);
      print("throughput_rps_postgres_1_replica", one.rps, "req/s");
      print("throughput_rps_postgres_3_replicas", three.rps, "req/s");
      print("postgres_3_vs_1_replicas_throughput_ratio", three.rps / one.rps, "x");
      print("errors_postgres_replicas", one.errors + three.errors, "count");
    }
    await printAdapterTransports(samples);
    const log = await logRowsPerSecond(Number(process.env.BENCH_LOG_ROWS ?? 50_000));
    print("log_rows_per_s", log.perSecond, "rows/s");
    print("log_rows_dropped", Number(process.env.BENCH_LOG_ROWS ?? 50_000) - log.stored + (log.verified ? 0 : 1), "count");
    if (postgres) {
      const rowsEach = Math.ceil(Number(process.env.BENCH_LOG_ROWS ?? 50_000) / 3);
      const shared = await postgresLogRows(postgres.url, 3, rowsEach);
      print("log_rows_per_s_postgres_3_replicas", shared.perSecond, "rows/s");
      print("log_rows_lost_postgres_3_replicas", shared.lost + (shared.verified ? 0 : 1), "count");
    }
  } finally {
    await ask(gateway.child, "stop");
    for (const replica of replicas) await ask(replica.child, "stop");
    bareProxy.child.kill();
    await upstream.worker.terminate();
    await postgres?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[2] === "gateway") await runGateway();
else if (process.argv[2] === "log-writer") await runLogWriter();
else if (process.argv[2] === "upstream") await runUpstream((message) => process.send(message));
else if (process.argv[2] === "bare-proxy") await runBareProxy();
else if (isMainThread) await main();
else await runUpstream();
