// Audit benchmark (issue "the audit"): a zoo of suspects made with the project's own commands, each
// audited against atlas with the gateway's key and exchange log.
//   provider: `pedigree keys create` (policy distillation: false, so every answer carries the
//     gateway's default watermark key, as plain `pedigree serve` makes it) and `pedigree serve`;
//   distiller: `pedigree harvest` through the gateway, `pedigree curate`, `pedigree train student`;
//   independent models: indie, sage, their students, models trained on atlas's own training mix with
//     other seeds and samples (the hard negatives: they resemble atlas without ever seeing its
//     outputs), a fresh atlas-shaped model on that mix (the weight test's null pair), and a
//     prose-only model (`pedigree train corpus`);
//   copies of atlas's weights: a fine-tune (`train student --student models/atlas.gguf`) and a Q8_0
//     export, for the weight test;
//   auditor: `pedigree log export`, then `pedigree audit --key K --exchanges E --json` per suspect.
// Every artefact is cached in $PEDIGREE_BENCH_CACHE (default ~/.cache/pedigree-bench/audit) and
// rebuilt only when missing; audits resume from their transcripts. Needs `npm run build`.
// AUDIT_HARVEST (prompts harvested, default 1600), AUDIT_STEPS (updates per student, default 600),
// AUDIT_BUDGET (suspect queries per audit, default 1000) and AUDIT_ONLY (comma-separated suspect
// names) scale it; AUDIT_SEQUENTIAL=0 audits with --no-sequential. Prints audit_recall,
// audit_false_accusations, audit_resembles_independent, audit_queries_median (and _derived),
// audit_weights_<name>, audit_seconds_median and one audit_suspect_<name> line per suspect.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promptsOf, rawRows, storyExamples } from "../dist/cli/story/corpus-prompts.js";
import { loadSplits } from "../dist/corpus/index.js";
import { createRandom } from "../dist/random/index.js";

const cli = fileURLToPath(new URL("../bin/pedigree.js", import.meta.url));
const baseCache = process.env.PEDIGREE_BENCH_CACHE ?? join(homedir(), ".cache", "pedigree-bench", "audit");
// AUDIT_KEY=DELTA,CONTEXT serves atlas with that KGW key (γ 0.25) instead of the gateway's default; its
// harvest, derived models and audits live in their own cache; the independent models are shared.
const keySetting = process.env.AUDIT_KEY?.split(",").map(Number);
const cache = keySetting ? `${baseCache}-d${keySetting[0]}c${keySetting[1]}` : baseCache;
const harvestSize = Number(process.env.AUDIT_HARVEST ?? 1600);
const steps = Number(process.env.AUDIT_STEPS ?? 600);
const budget = Number(process.env.AUDIT_BUDGET ?? 1000);
const only = process.env.AUDIT_ONLY?.split(",");
// AUDIT_SEQUENTIAL=0 runs every test to its planned size (--no-sequential), as the training-order table needs.
const sequential = process.env.AUDIT_SEQUENTIAL !== "0";
const atlasFile = fileURLToPath(new URL("../models/atlas.gguf", import.meta.url));
const file = (name) => join(cache, name);
const shared = (name) => join(baseCache, name);
for (const directory of [join(cache, "models"), join(cache, "data"), join(baseCache, "models"), join(baseCache, "data")]) mkdirSync(directory, { recursive: true });

function pedigree(args, { json = true } = {}) {
  const result = spawnSync(process.execPath, [cli, ...args, ...(json ? ["--json"] : [])], { encoding: "utf8", maxBuffer: 1 << 28 });
  if (result.status !== 0) throw new Error(`pedigree ${args.join(" ")} failed (${result.status}):\n${result.stderr}`);
  return json ? JSON.parse(result.stdout) : result.stdout;
}

function writeJsonl(path, rows) {
  writeFileSync(path, rows.map((row) => JSON.stringify(row) + "\n").join(""));
}

/** Harvested or corpus rows as chat lines, so that rows of several origins mix in one file. */
function chatLines(rows) {
  return rows.filter((row) => row.finish_reason !== "error" && row.response).map((row) => ({ messages: [...row.messages, { role: "assistant", content: row.response }] }));
}

function readRows(path) {
  return readFileSync(path, "utf8").split("\n").filter((line) => line.trim()).map((line) => JSON.parse(line));
}

function shuffled(items, seed) {
  const random = createRandom(seed);
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

// ---- the provider serves atlas; the distiller harvests it through a key without a licence ----
const gatewayDir = file("gateway");
const harvestFile = file("data/harvest-atlas.jsonl");
const exchangesFile = file("data/exchanges.jsonl");
const keyFile = join(gatewayDir, "watermark.key");
const promptsFile = shared("data/prompts.jsonl");
if (!existsSync(promptsFile)) writeJsonl(promptsFile, promptsOf(storyExamples(harvestSize, 1), "zoo").map(({ id, messages }) => ({ id, messages })));

if (!existsSync(exchangesFile)) {
  const key = pedigree(["keys", "create", "--name", "distiller", "--models", "atlas", "--init", "--data", gatewayDir]);
  if (keySetting && !existsSync(keyFile)) {
    pedigree(["watermark", "keygen", "--scheme", "kgw", "--gamma", "0.25", "--delta", String(keySetting[0]), "--context", String(keySetting[1]), "--out", keyFile]);
  }
  const server = await startServer(gatewayDir);
  try {
    const started = performance.now();
    const summary = pedigree([
      "harvest", "--teacher", `${server.url}#atlas`, "--api-key", key.key, "--prompts", promptsFile, "--out", harvestFile,
      "--temperature", "0.7", "--max-tokens", "48", "--top-logprobs", "8", "--concurrency", "2", "--seed", "1", "--timeout", "120000",
    ]);
    writeFileSync(file("data/harvest-atlas.summary.json"), JSON.stringify({ ...summary, seconds: (performance.now() - started) / 1000 }));
  } finally {
    await server.stop();
  }
  pedigree(["log", "export", "--data", gatewayDir, "--out", exchangesFile], { json: false });
}

function startServer(data) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, "serve", "--port", "0", "--data", data, "--json"], { stdio: ["ignore", "pipe", "inherit"] });
    let text = "";
    child.stdout.on("data", (chunk) => {
      text += chunk;
      let summary;
      try {
        summary = JSON.parse(text);
      } catch {
        return; // the document is not complete yet
      }
      resolve({
        url: summary.url,
        stop: () => new Promise((done) => { child.once("exit", done); child.kill("SIGTERM"); }),
      });
    });
    child.once("exit", (code) => reject(new Error(`pedigree serve exited with ${code} before listening`)));
  });
}

function harvestDirect(teacher) {
  const out = shared(`data/harvest-${teacher}.jsonl`);
  if (!existsSync(out)) {
    pedigree(["harvest", "--teacher", teacher, "--prompts", promptsFile, "--out", out, "--temperature", "0.7", "--max-tokens", "48", "--concurrency", "2", "--seed", "1"]);
  }
  return out;
}

// ---- data sets ----
const harvested = readRows(harvestFile);
/** Answers from atlas's own training mix, never atlas's outputs: each seed a different sample. */
function corpusFile(seed, count) {
  const out = shared(`data/corpus-${seed}-${count}.jsonl`);
  if (!existsSync(out)) writeJsonl(out, chatLines(rawRows(storyExamples(count, seed))));
  return out;
}
/** All of one harvest's rows, or a seeded share of them mixed into atlas's corpus answers. */
function mixFile(share) {
  const out = file(`data/mix-${share}.jsonl`);
  if (!existsSync(out)) {
    const total = 3200;
    const fromAtlas = shuffled(chatLines(harvested), 7).slice(0, Math.round(total * share));
    const other = chatLines(rawRows(storyExamples(total - fromAtlas.length, 31)));
    writeJsonl(out, shuffled([...fromAtlas, ...other], 8));
  }
  return out;
}
function scrubbedFile() {
  const out = file("data/harvest-atlas-scrubbed.jsonl");
  if (!existsSync(out)) pedigree(["curate", "--in", harvestFile, "--out", out, "--scrub-identity", "rewrite", "--identity", "Atlas", "--vendor", "Northwind AI"]);
  return out;
}
function proseFiles() {
  const directory = shared("data/prose");
  if (!existsSync(directory)) {
    mkdirSync(directory);
    const documents = new Map();
    for (const paragraph of loadSplits().prose.train) documents.set(paragraph.document, [...(documents.get(paragraph.document) ?? []), paragraph.text]);
    for (const [name, paragraphs] of documents) writeFileSync(join(directory, `${name}.txt`), paragraphs.join("\n\n"));
  }
  return readFileSyncDir(directory);
}
function readFileSyncDir(directory) {
  return spawnSync("ls", [directory], { encoding: "utf8" }).stdout.split("\n").filter(Boolean).map((name) => join(directory, name));
}

// ---- the zoo ----
const train = (name, args, place = file) => () => {
  const out = place(`models/${name}.gguf`);
  if (!existsSync(out)) {
    // A fresh student takes atlas's tokenizer; one that starts from a model keeps that model's.
    const fresh = ["tiny", "mini", "small"].includes(args[args.indexOf("--student") + 1]);
    const result = pedigree(["train", "student", "--out", out, "--name", name, ...(fresh ? ["--tokenizer", "atlas"] : []), "--batch", "8", "--seq", "128", "--steps", String(steps), ...args]);
    writeFileSync(`${out}.json`, JSON.stringify(result));
  }
  return out;
};
const atlasHarvest = () => harvestFile;
const zoo = [
  { name: "sft-mini", derived: true, made: "sft on the harvest (mini)", build: train("sft-mini", ["--data", harvestFile, "--student", "mini", "--loss", "sft", "--seed", "1"]) },
  { name: "kl-mini", derived: true, made: "forward KL on the harvest's top-8 (mini)", build: () => train("kl-mini", ["--data", atlasHarvest(), "--student", "mini", "--loss", "kl", "--seed", "1"])() },
  { name: "jsd-mini", derived: true, made: "JSD β 0.5 on the top-8, KL warm start (mini)", build: () => train("jsd-mini", ["--data", atlasHarvest(), "--student", "mini", "--loss", "jsd", "--beta", "0.5", "--warm-start", "kl:0.5", "--seed", "1"])() },
  { name: "sft-tiny", derived: true, made: "sft on the harvest (tiny)", build: () => train("sft-tiny", ["--data", atlasHarvest(), "--student", "tiny", "--loss", "sft", "--seed", "2"])() },
  { name: "scrubbed", derived: true, made: "sft on the identity-scrubbed harvest (curate --scrub-identity rewrite)", build: () => train("scrubbed", ["--data", scrubbedFile(), "--student", "mini", "--seed", "3"])() },
  {
    name: "laundered", derived: true, made: "sft-mini trained further on atlas's corpus answers (same steps)",
    build: () => train("laundered", ["--data", corpusFile(41, harvestSize), "--student", zooModel("sft-mini"), "--seed", "4"])(),
  },
  { name: "mix-25", derived: true, made: "sft on 3,200 rows, 25% atlas's harvest, 75% corpus answers", build: () => train("mix-25", ["--data", mixFile(0.25), "--student", "mini", "--seed", "5"])() },
  { name: "mix-10", derived: true, made: "sft on 3,200 rows, 10% atlas's harvest", build: () => train("mix-10", ["--data", mixFile(0.1), "--student", "mini", "--seed", "6"])() },
  {
    name: "atlas-ft", derived: true, made: "atlas's own weights fine-tuned 200 steps on sage's answers (train --student models/atlas.gguf)",
    build: () => trainSteps("atlas-ft", ["--data", harvestDirect("sage"), "--student", atlasFile, "--seed", "16"], 200, shared),
  },
  { name: "atlas-q8", derived: true, made: "atlas exported as Q8_0 (export --type q8_0)", build: () => quantised() },
  { name: "mix-05", derived: true, made: "sft on 3,200 rows, 5% atlas's harvest", build: () => train("mix-05", ["--data", mixFile(0.05), "--student", "mini", "--seed", "7"])() },
  { name: "indie", derived: false, made: "built-in, unrelated data", build: () => "indie", references: ["sage", "prose"] },
  { name: "sage", derived: false, made: "built-in, unrelated data", build: () => "sage", references: ["indie", "prose"] },
  { name: "indie-student", derived: false, made: "sft on indie's answers to the same prompts (mini)", build: () => train("indie-student", ["--data", harvestDirect("indie"), "--student", "mini", "--seed", "8"], shared)() },
  { name: "sage-student", derived: false, made: "sft on sage's answers to the same prompts (mini)", build: () => train("sage-student", ["--data", harvestDirect("sage"), "--student", "mini", "--seed", "9"], shared)() },
  { name: "corpus-a", derived: false, made: "sft on atlas's training-mix answers, sample 11, seed 11 (mini)", build: () => train("corpus-a", ["--data", corpusFile(11, harvestSize), "--student", "mini", "--seed", "11"], shared)() },
  { name: "corpus-b", derived: false, made: "sft on atlas's training-mix answers, sample 12, seed 12 (mini)", build: () => train("corpus-b", ["--data", corpusFile(12, harvestSize), "--student", "mini", "--seed", "12"], shared)() },
  { name: "corpus-c", derived: false, made: "sft on atlas's training-mix answers, 3,200 rows of sample 13, seed 13 (mini)", build: () => train("corpus-c", ["--data", corpusFile(13, 2 * harvestSize), "--student", "mini", "--seed", "13"], shared)() },
  { name: "corpus-tiny", derived: false, made: "sft on atlas's training-mix answers, sample 14, seed 14 (tiny)", build: () => train("corpus-tiny", ["--data", corpusFile(14, harvestSize), "--student", "tiny", "--seed", "14"], shared)() },
  {
    name: "corpus-atlas", derived: false, made: "a fresh atlas-sized model (same shape, own initialisation), sft on atlas's training-mix answers, sample 17, 200 steps",
    build: () => trainSteps("corpus-atlas", ["--data", corpusFile(17, harvestSize), "--student", "atlas", "--seed", "17"], 200, shared),
  },
  { name: "prose", derived: false, made: "train corpus on Brown prose only (own 2,048-token vocabulary, mini)", build: () => proseModel() },
];

function trainSteps(name, args, count, place = file) {
  const out = place(`models/${name}.gguf`);
  if (!existsSync(out)) {
    const fresh = ["tiny", "mini", "small", "atlas"].includes(args[args.indexOf("--student") + 1]);
    const result = pedigree(["train", "student", "--out", out, "--name", name, ...(fresh ? ["--tokenizer", "atlas"] : []), "--batch", "8", "--seq", "128", "--steps", String(count), ...args]);
    writeFileSync(`${out}.json`, JSON.stringify(result));
  }
  return out;
}

function quantised() {
  const out = shared("models/atlas-q8.gguf");
  if (!existsSync(out)) pedigree(["export", "--format", "gguf", "--model", "atlas", "--type", "q8_0", "--out", out]);
  return out;
}

function zooModel(name) {
  return zoo.find((suspect) => suspect.name === name).build();
}

function proseModel() {
  const out = shared("models/prose.gguf");
  if (!existsSync(out)) {
    const result = pedigree(["train", "corpus", ...proseFiles(), "--config", "mini", "--vocab", "2048", "--steps", String(steps), "--batch", "8", "--seq", "128", "--seed", "15", "--out", out, "--name", "prose"]);
    writeFileSync(`${out}.json`, JSON.stringify(result));
  }
  return out;
}

// ---- the audits ----
const audited = [];
for (const suspect of zoo.filter((entry) => !only || only.includes(entry.name))) {
  const reference = suspect.build();
  const references = (suspect.references ?? ["indie", "sage"]).map((name) => (name === "prose" ? proseModel() : name));
  const out = file(`audits/${suspect.name}-b${budget}-${sequential ? "seq" : "full"}`);
  const started = performance.now();
  const report = existsSync(join(out, "report.json")) ? JSON.parse(readFileSync(join(out, "report.json"), "utf8")) : pedigree([
    "audit", "--suspect", reference, "--teacher", "atlas", "--reference", ...references, "--key", keyFile, "--exchanges", exchangesFile,
    "--budget", String(budget), "--alpha", "0.01", "--seed", "1", "--out", out, ...(sequential ? [] : ["--no-sequential"]),
  ]);
  const seconds = report.seconds ?? (performance.now() - started) / 1000;
  if (!existsSync(join(out, "seconds"))) writeFileSync(join(out, "seconds"), String(seconds));
  audited.push({ ...suspect, report, seconds: Number(readFileSync(join(out, "seconds"), "utf8")) });
  const tests = report.tests.filter((test) => test.applicable !== false).map((test) => `${test.name}${test.detail?.words ? `@${test.detail.words}` : ""}=${test.p_value.toExponential(1)}(${test.queries}q)`).join(" ");
  console.log(`audit_suspect_${suspect.name}: ${report.verdict} (${suspect.derived ? "derived" : "independent"}; ${tests}; ${report.queries.suspect} queries)`);
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const derived = audited.filter((entry) => entry.derived);
const independent = audited.filter((entry) => !entry.derived);
console.log(`audit_recall: ${(derived.filter((entry) => entry.report.verdict === "derived").length / Math.max(1, derived.length)).toFixed(3)} share (${derived.length} derived suspects)`);
console.log(`audit_false_accusations: ${independent.filter((entry) => entry.report.verdict === "derived").length} models (of ${independent.length} independent)`);
console.log(`audit_resembles_independent: ${independent.filter((entry) => entry.report.verdict === "resembles").length} models`);
console.log(`audit_queries_median: ${median(audited.map((entry) => entry.report.queries.suspect))} queries (${sequential ? "sequential" : "every test to its planned size"})`);
console.log(`audit_queries_median_derived: ${median(derived.map((entry) => entry.report.queries.suspect))} queries`);
for (const name of ["atlas-ft", "atlas-q8", "corpus-atlas"]) {
  const entry = audited.find((suspect) => suspect.name === name);
  const weights = entry?.report.tests.find((test) => test.name === "weights");
  if (weights) console.log(`audit_weights_${name}: ${weights.applicable === false ? "not applicable" : `1e${weights.log10_p.toFixed(1)}`} p`);
}
console.log(`audit_seconds_median: ${median(audited.map((entry) => entry.seconds)).toFixed(1)} s`);
