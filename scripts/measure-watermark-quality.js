#!/usr/bin/env node
// Answer-quality cost of the gateway's watermark, by KGW bias δ. For each of --keys rounds and each δ
// (interleaved, δ₁ key 1, δ₂ key 1, δ₁ key 2, …, so that drift in machine speed or load hits every δ
// alike), a fresh data directory gets a fresh random key (`watermark keygen`) and a gateway API key,
// `serve` starts on it, and `eval` scores atlas through the real gateway on each task. Controls: the
// built-in model evaluated directly, and through the gateway with a licensed unwatermarked key (any
// difference between the two is the gateway's, not the watermark's). Optionally (--texts N > 0) the
// perplexity, under the plain model, of N sampled 200-token texts per key, as a ratio to plain texts
// with the same seeds (as bench/watermark.js measures it). Eval is greedy (temperature 0), so a key
// fixes its answers and the spread between runs is the spread between keys.
// Usage: node scripts/measure-watermark-quality.js [--keys 8] [--deltas 2,3] [--gamma 0.25]
//   [--context 1] [--tasks capitals,definitions] [--limit N] [--texts 20] [--json]
// Run `npm run build` first. The mean difference of the last two δ gets a Welch t interval and a
// two-sided Monte Carlo permutation p-value (Phipson & Smyth 2010).
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { resolveModel } from "pedigree/models";
import { createRandom } from "pedigree/random";
import { logBetaIncomplete, permutationTest } from "pedigree/stats";
import { createWatermark, readKeyFile } from "pedigree/watermark";

const cli = fileURLToPath(new URL("../bin/pedigree.js", import.meta.url));
const { values: args } = parseArgs({
  options: {
    keys: { type: "string", default: "8" }, deltas: { type: "string", default: "2,3" },
    gamma: { type: "string", default: "0.25" }, context: { type: "string", default: "1" },
    tasks: { type: "string", default: "capitals,definitions" }, limit: { type: "string" },
    texts: { type: "string", default: "20" }, json: { type: "boolean", default: false },
  },
});
const deltas = args.deltas.split(",").map(Number);
const tasks = args.tasks.split(",");
const rounds = Number(args.keys);
const textCount = Number(args.texts);
const log = (message) => process.stderr.write(`${message}\n`);

function pedigree(argv) {
  const result = spawnSync(process.execPath, [cli, ...argv], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`pedigree ${argv[0]} failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

/** `serve --port 0 --json` on a data directory; resolves once its JSON (the URL) has been printed. */
function serve(data) {
  const child = spawn(process.execPath, [cli, "serve", "--port", "0", "--data", data, "--json"], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (chunk) => {
      out += chunk;
      try {
        resolve({ ...JSON.parse(out), stop: () => child.kill("SIGTERM") });
      } catch { /* not complete yet */ }
    });
    child.on("exit", (code) => reject(new Error(`serve exited (${code}) before listening`)));
  });
}

/** One task's headline figures: accuracy, and F1 where the task reports it. */
function evaluate(model, apiKey, task) {
  const argv = ["eval", "--model", model, "--task", task, "--json", ...(apiKey ? ["--api-key", apiKey] : [])];
  const result = pedigree(args.limit ? [...argv, "--limit", args.limit] : argv);
  return result.f1 === undefined ? { accuracy: result.accuracy } : { accuracy: result.accuracy, f1: result.f1 };
}

function evaluateAll(model, apiKey) {
  return Object.fromEntries(tasks.map((task) => [task, evaluate(model, apiKey, task)]));
}

/** A gateway on a fresh data directory: key file first (the gateway keeps an existing one), then the API key. */
async function gatewayRun(root, label, keygen, keyOptions) {
  const data = join(root, label);
  const { key } = pedigree(["keys", "create", "--name", "q", "--models", "atlas", "--init", "--data", data, "--json", ...keyOptions]);
  const keyFile = join(data, "watermark.key");
  if (keygen) pedigree(["watermark", "keygen", "--scheme", "kgw", "--out", keyFile, "--json", ...keygen]);
  const server = await serve(data);
  try {
    return { key_id: server.watermark_key_id, keyFile, scores: evaluateAll(`${server.url}#atlas`, key) };
  } finally {
    server.stop();
  }
}

/** Sampled texts (temperature 1, stop tokens banned) and their perplexity under the plain model. */
async function perplexityProbe() {
  const model = await resolveModel("atlas", { threads: 1 });
  const seeds = Array.from({ length: textCount }, (_, i) => 1000 + i);
  const messages = (seed) => [{ role: "user", content: `Tell me about ${["the sea", "a city", "winter", "a journey", "music"][seed % 5]}.` }];
  const banStops = { process: (_context, logits) => model.tokenizer.stopIds.forEach((id) => (logits[id] = -Infinity)) };
  async function meanPerplexity(processor) {
    let total = 0;
    for (const seed of seeds) {
      const result = await model.generate({ messages: messages(seed), maxTokens: 200, seed, temperature: 1, logitsProcessors: [banStops, ...(processor ? [processor()] : [])] });
      const prompt = model.tokenizer.encodeChat(messages(seed), { addGenerationPrompt: true });
      const rows = await model.nextDistributions(Int32Array.from([...prompt, ...result.tokenIds]));
      let nll = 0;
      for (let i = 0; i < result.tokenIds.length; i++) nll -= Math.log(rows[prompt.length + i - 1][result.tokenIds[i]]);
      total += Math.exp(nll / result.tokenIds.length) / seeds.length;
    }
    return total;
  }
  const plain = await meanPerplexity(null);
  return {
    plain,
    async ratio(keyFile) {
      const watermark = createWatermark(await readKeyFile(keyFile));
      return (await meanPerplexity(() => watermark.processor())) / plain;
    },
    close: () => model.close?.(),
  };
}

const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;
const variance = (xs) => xs.reduce((s, x) => s + (x - mean(xs)) ** 2, 0) / (xs.length - 1);

/** The t with P(|T_df| > t) = twoSidedP, by bisection on P(|T_df| > t) = I_{df/(df+t²)}(df/2, 1/2). */
function tQuantile(df, twoSidedP) {
  let lo = 0;
  let hi = 1000;
  for (let i = 0; i < 200; i++) {
    const t = (lo + hi) / 2;
    if (Math.exp(logBetaIncomplete(df / (df + t * t), df / 2, 0.5)) > twoSidedP) lo = t;
    else hi = t;
  }
  return (lo + hi) / 2;
}

/** Mean and standard error per δ; the last minus the first δ with a Welch 95% interval and a permutation p. */
function summarise(byDelta) {
  const stats = byDelta.map((xs) => ({ mean: mean(xs), se: Math.sqrt(variance(xs) / xs.length), n: xs.length }));
  const [a, b] = [stats[0], stats[stats.length - 1]];
  const [x, y] = [byDelta[0], byDelta[byDelta.length - 1]];
  const se = Math.sqrt(a.se ** 2 + b.se ** 2);
  const df = se === 0 ? Infinity : se ** 4 / (a.se ** 4 / (a.n - 1) + b.se ** 4 / (b.n - 1));
  const t = Number.isFinite(df) ? tQuantile(df, 0.05) : 1.96;
  const difference = b.mean - a.mean;
  const permutation = permutationTest(y, x, { rng: createRandom("watermark-quality"), alternative: "two-sided", permutations: 19999 });
  return { per_delta: stats, difference, se, df, ci95: [difference - t * se, difference + t * se], permutation_p: permutation.p_value };
}

async function main() {
  const root = mkdtempSync(join(tmpdir(), "pedigree-watermark-quality-"));
  const report = { gamma: Number(args.gamma), context: Number(args.context), deltas, tasks, limit: args.limit ?? null, runs: [] };
  try {
    report.direct = evaluateAll("atlas");
    log(`direct atlas: ${JSON.stringify(report.direct)}`);
    report.gateway_plain = (await gatewayRun(root, "plain", null, ["--distillation", "--no-watermark"])).scores;
    log(`gateway, unwatermarked key: ${JSON.stringify(report.gateway_plain)}`);
    const probe = textCount > 0 ? await perplexityProbe() : null;
    if (probe) report.ppl_plain = probe.plain;
    for (let round = 1; round <= rounds; round++) {
      for (const delta of deltas) {
        const keygen = ["--gamma", args.gamma, "--delta", String(delta), "--context", args.context];
        const run = await gatewayRun(root, `d${delta}-k${round}`, keygen, []);
        const entry = { delta, round, key_id: run.key_id, scores: run.scores };
        if (probe) entry.ppl_ratio = await probe.ratio(run.keyFile);
        report.runs.push(entry);
        log(`δ ${delta} key ${round} (${run.key_id}): ${JSON.stringify(run.scores)}${probe ? ` ppl ratio ${entry.ppl_ratio.toFixed(4)}` : ""}`);
      }
    }
    await probe?.close();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  const metrics = tasks.flatMap((task) => Object.keys(report.direct[task]).map((metric) => [task, metric]));
  const column = (pick) => deltas.map((delta) => report.runs.filter((run) => run.delta === delta).map(pick));
  report.summary = Object.fromEntries(metrics.map(([task, metric]) => [`${task}.${metric}`, summarise(column((run) => run.scores[task][metric]))]));
  if (textCount > 0) report.summary.ppl_ratio = summarise(column((run) => run.ppl_ratio));
  if (args.json) console.log(JSON.stringify(report, null, 2));
  else for (const [name, s] of Object.entries(report.summary)) {
    const perDelta = s.per_delta.map((d, i) => `δ${deltas[i]} ${d.mean.toFixed(4)} ± ${d.se.toFixed(4)}`).join(", ");
    console.log(`${name}: ${perDelta}; difference ${s.difference.toFixed(4)} [${s.ci95.map((v) => v.toFixed(4)).join(", ")}] permutation p ${s.permutation_p.toPrecision(3)}`);
  }
}

await main();
