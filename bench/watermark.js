// Watermark benchmark: power (TPR at FPR 1e-3 by length and after random substitutions), quality cost
// (perplexity under the unwatermarked model), detection throughput and generation slowdown, for each
// scheme. Imports the built library from dist/ (run `npm run build` first).
// Model: WATERMARK_BENCH_MODEL=REF uses a white-box model (built-in or GGUF) for generation; otherwise
// the seeded bigram simulation model, which the output names.
import { performance } from "node:perf_hooks";
import { createPrng } from "../dist/stats/index.js";
import { createWatermark, generateKey, SCHEMES } from "../dist/watermark/index.js";
import { BigramModel } from "../dist/watermark/simulation/bigram-model.js";
import { generateTokens } from "../dist/watermark/simulation/generate.js";

const LENGTHS = [25, 50, 100, 200];
const TEXTS = Number(process.env.WATERMARK_BENCH_TEXTS ?? 100);
const FPR = 1e-3;

function line(name, value, unit = "") {
  const shown = Number.isInteger(value) ? String(value) : value.toPrecision(4);
  console.log(`${name}: ${shown}${unit ? ` ${unit}` : ""}`);
}

async function openModel() {
  const reference = process.env.WATERMARK_BENCH_MODEL;
  if (!reference) {
    const model = new BigramModel({ vocab: 4096, seed: 2026 });
    return { name: "bigram simulation (V=4096, seeded; no built-in model requested)", model, perplexity: (ids) => model.perplexity(ids) };
  }
  const { resolveModel } = await import("../dist/models/resolve.js");
  const chat = await resolveModel(reference, { threads: 1 });
  if (typeof chat.nextDistributions !== "function") throw new Error(`${reference} is not a white-box model`);
  // Logits of the last position from the model's next-token distributions (no KV cache: slow but exact).
  let history = [];
  const adapter = {
    vocab: chat.tokenizer.vocabSize,
    name: reference,
    async logitsFor(context) {
      const rows = await chat.nextDistributions(Int32Array.from(context));
      const row = rows[rows.length - 1];
      return Float32Array.from(row, (p) => Math.log(p));
    },
  };
  history = null;
  return { name: reference, model: adapter, perplexity: null, close: () => chat.close?.() };
}

function substitute(ids, fraction, vocab, rng) {
  const out = Int32Array.from(ids);
  for (let i = 0; i < out.length; i++) if (rng.next() < fraction) out[i] = rng.int(vocab);
  return out;
}

function rate(values) {
  return values.filter((p) => p <= FPR).length / values.length;
}

async function main() {
  const { name, model, perplexity } = await openModel();
  console.log(`# model: ${name}; ${TEXTS} texts per scheme; TPR at FPR ${FPR}`);
  if (typeof model.logits !== "function") throw new Error("only the simulation model is wired for generation in this script");
  const rng = createPrng("bench/watermark");
  const plainTexts = Array.from({ length: TEXTS }, () => generateTokens(model, [rng.int(model.vocab)], 200, rng));
  const plainPerplexity = plainTexts.reduce((s, ids) => s + perplexity(ids), 0) / TEXTS;
  line("ppl_plain", plainPerplexity);
  for (const scheme of SCHEMES) {
    const watermark = createWatermark(generateKey(scheme, {}, (n) => rng.bytes(n)));
    const texts = Array.from({ length: TEXTS }, () => generateTokens(model, [rng.int(model.vocab)], 200, rng, [watermark.processor()]));
    for (const length of LENGTHS) line(`tpr_${scheme}_${length}`, rate(texts.map((ids) => watermark.detectTokens(ids.slice(0, length)).p_value)));
    for (const fraction of [0.1, 0.2, 0.3]) {
      const attacked = texts.map((ids) => substitute(ids, fraction, model.vocab, rng));
      line(`tpr_${scheme}_200_sub${Math.round(fraction * 100)}`, rate(attacked.map((ids) => watermark.detectTokens(ids).p_value)));
    }
    line(`fpr_${scheme}_200`, rate(plainTexts.map((ids) => watermark.detectTokens(ids).p_value)));
    const ppl = texts.reduce((s, ids) => s + perplexity(ids), 0) / TEXTS;
    line(`ppl_${scheme}`, ppl);
    line(`ppl_${scheme}_ratio`, ppl / plainPerplexity);
  }
  detectionThroughput(rng);
  generationCost(model, rng);
}

const cpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

/**
 * Detection speed in tokens per CPU-second of this single-threaded process (per core): 2,000 texts of
 * 1,000 tokens, one test each, best of three; and one test over a 2M-token stream (a radioactivity
 * audit), whose tape no longer fits in cache.
 */
function detectionThroughput(rng) {
  const stream = new Int32Array(2_000_000);
  for (let i = 0; i < stream.length; i++) stream[i] = rng.int(32000);
  const texts = Array.from({ length: 2000 }, (_, i) => stream.subarray(i * 1000, (i + 1) * 1000));
  const cases = [["", "kgw", {}], ["_kgw_selfhash_h4", "kgw", { hashing: "selfhash", context: 4 }], ["_gumbel", "gumbel", {}], ["_synthid", "synthid", {}]];
  for (const [label, scheme, params] of cases) {
    const watermark = createWatermark(generateKey(scheme, params, (n) => rng.bytes(n)));
    let best = Infinity;
    for (let run = 0; run < 3; run++) {
      const start = cpuMs();
      for (const text of texts) watermark.detectTokens(text);
      best = Math.min(best, cpuMs() - start);
    }
    line(`detect_tokens_per_s${label}`, Math.round(stream.length / (best / 1000)), "tokens/s");
    if (label === "") {
      const start = cpuMs();
      watermark.detectTokens(stream);
      line("detect_tokens_per_s_one_test_2m", Math.round(stream.length / ((cpuMs() - start) / 1000)), "tokens/s");
    }
  }
}

/**
 * Generation with the processor over generation without it (CPU time), on the simulation model,
 * and the processor's own cost per token at V = 32,000 on an LM-like (Zipf) distribution, from which
 * the slowdown for any model follows: cost / (model's time per token).
 */
function generationCost(model, rng) {
  const steps = 400;
  const time = (processors) => {
    const start = cpuMs();
    generateTokens(model, [1], steps, createPrng(7), processors);
    return cpuMs() - start;
  };
  const vocab = 32000;
  const base = Float32Array.from({ length: vocab }, (_, i) => -1.2 * Math.log(1 + i) + rng.normal());
  for (const scheme of SCHEMES) {
    const watermark = createWatermark(generateKey(scheme, {}, (n) => rng.bytes(n)));
    time([watermark.processor()]);
    let plain = Infinity;
    let marked = Infinity;
    for (let run = 0; run < 3; run++) {
      plain = Math.min(plain, time([]));
      marked = Math.min(marked, time([watermark.processor()]));
    }
    line(`generation_slowdown_${scheme}`, marked / plain, `ratio (simulation model, V=${model.vocab})`);
    const processor = watermark.processor();
    const context = Array.from({ length: 256 }, () => rng.int(2000));
    const logits = new Float32Array(vocab);
    const start = cpuMs();
    for (let i = 0; i < 100; i++) {
      logits.set(base);
      context.push(rng.int(2000));
      processor.process(context, logits);
    }
    line(`processor_us_per_token_${scheme}_v32000`, ((cpuMs() - start) * 1000) / 100, "us");
  }
}

await main();
