// Watermark benchmark: power (TPR at FPR 1e-3 by length and after random substitutions), quality cost
// (perplexity under the unwatermarked model), detection throughput and generation slowdown, for each
// scheme. Imports the built package by its name (run `npm run build` first).
// Model: the best white-box model available — WATERMARK_BENCH_MODEL=REF, else the built-in atlas,
// else the built-in indie — generating through its own sampler with the processor chained; if none
// loads, the seeded bigram simulation model. The first output line names the model used.
import { createRandom } from "pedigree/random";
import { createWatermark, generateKey, SCHEMES } from "pedigree/watermark";
// The seeded bigram model is the watermark room's stand-in for a language model in its own tests, not
// part of its API; the benchmark falls back to it when no model loads, so it reaches into the build.
import { BigramModel } from "../dist/watermark/simulation/bigram-model.js";
import { generateTokens } from "../dist/watermark/simulation/generate.js";

const LENGTHS = [25, 50, 100, 200];
const FPR = 1e-3;
const TOPICS = ["the sea", "a city", "winter", "a journey", "music", "a river", "the mountains", "a market", "the night sky", "a library"];

function line(name, value, unit = "") {
  const shown = Number.isInteger(value) ? String(value) : value.toPrecision(4);
  console.log(`${name}: ${shown}${unit ? ` ${unit}` : ""}`);
}

/** The simulation model behind the same interface as a real one. */
function simulationSource() {
  const model = new BigramModel({ vocab: 4096, seed: 2026 });
  return {
    name: "bigram simulation (V=4096, seeded; no built-in model loaded)",
    vocab: model.vocab,
    texts: Number(process.env.WATERMARK_BENCH_TEXTS ?? 100),
    async generate(processors, seed) {
      const rng = createRandom(seed);
      return generateTokens(model, [rng.int(model.vocab)], 200, rng, processors);
    },
    async perplexity(ids) {
      return model.perplexity(ids);
    },
    close() {},
  };
}

/** A built-in or GGUF model: generation through its sampler, stop tokens banned so every text has 200 tokens. */
async function modelSource(reference) {
  const { resolveModel } = await import("pedigree/models");
  const model = await resolveModel(reference, { threads: 1 });
  if (typeof model.nextDistributions !== "function") {
    await model.close?.();
    throw new Error(`${reference} is not a white-box model`);
  }
  const stopIds = model.tokenizer.stopIds;
  const banStops = { process: (_context, logits) => stopIds.forEach((id) => (logits[id] = -Infinity)) };
  return {
    name: `${reference} (built-in/GGUF, V=${model.tokenizer.vocabSize}, its own sampler, stop tokens banned)`,
    vocab: model.tokenizer.vocabSize,
    texts: Number(process.env.WATERMARK_BENCH_TEXTS ?? 50),
    async generate(processors, seed) {
      const messages = [{ role: "user", content: `Tell me about ${TOPICS[seed % TOPICS.length]}.` }];
      const result = await model.generate({ messages, maxTokens: 200, seed, temperature: 1, logitsProcessors: [banStops, ...processors] });
      return Int32Array.from(result.tokenIds ?? []);
    },
    async perplexity(ids, seed) {
      const prompt = model.tokenizer.encodeChat([{ role: "user", content: `Tell me about ${TOPICS[seed % TOPICS.length]}.` }], { addGenerationPrompt: true });
      const rows = await model.nextDistributions(Int32Array.from([...prompt, ...ids]));
      let total = 0;
      for (let i = 0; i < ids.length; i++) total -= Math.log(rows[prompt.length + i - 1][ids[i]]);
      return Math.exp(total / ids.length);
    },
    close: () => model.close?.(),
  };
}

async function openSource() {
  const candidates = [process.env.WATERMARK_BENCH_MODEL, "atlas", "indie"].filter(Boolean);
  for (const reference of candidates) {
    try {
      return await modelSource(reference);
    } catch (error) {
      console.error(`# ${reference} not used: ${error.message}`);
    }
  }
  return simulationSource();
}

function substitute(ids, fraction, vocab, rng) {
  const out = Int32Array.from(ids);
  for (let i = 0; i < out.length; i++) if (rng.uniform53() < fraction) out[i] = rng.int(vocab);
  return out;
}

function rate(values) {
  return values.filter((p) => p <= FPR).length / values.length;
}

async function main() {
  const source = await openSource();
  const n = source.texts;
  console.log(`# model: ${source.name}; ${n} texts of 200 tokens per scheme; TPR at FPR ${FPR}`);
  const rng = createRandom("bench/watermark");
  const seeds = Array.from({ length: n }, (_, i) => 1000 + i);
  await source.generate([], 1); // warm-up: JIT and model caches
  const plainTexts = [];
  let plainTime = 0;
  for (const seed of seeds) {
    const start = cpuMs();
    plainTexts.push(await source.generate([], seed));
    plainTime += cpuMs() - start;
  }
  let plainPerplexity = 0;
  for (let i = 0; i < n; i++) plainPerplexity += (await source.perplexity(plainTexts[i], seeds[i])) / n;
  line("ppl_plain", plainPerplexity);
  for (const scheme of SCHEMES) {
    const watermark = createWatermark(generateKey(scheme, {}, (k) => rng.bytes(k)));
    const texts = [];
    let markedTime = 0;
    for (const seed of seeds) {
      const start = cpuMs();
      texts.push(await source.generate([watermark.processor()], seed));
      markedTime += cpuMs() - start;
    }
    for (const length of LENGTHS) line(`tpr_${scheme}_${length}`, rate(texts.map((ids) => watermark.detectTokens(ids.slice(0, length)).p_value)));
    for (const fraction of [0.1, 0.2, 0.3]) {
      const attacked = texts.map((ids) => substitute(ids, fraction, source.vocab, rng));
      line(`tpr_${scheme}_200_sub${Math.round(fraction * 100)}`, rate(attacked.map((ids) => watermark.detectTokens(ids).p_value)));
    }
    line(`fpr_${scheme}_200`, rate(plainTexts.map((ids) => watermark.detectTokens(ids).p_value)));
    let ppl = 0;
    for (let i = 0; i < n; i++) ppl += (await source.perplexity(texts[i], seeds[i])) / n;
    line(`ppl_${scheme}`, ppl);
    line(`ppl_${scheme}_ratio`, ppl / plainPerplexity);
    line(`generation_slowdown_${scheme}`, markedTime / plainTime, "ratio");
  }
  await source.close();
  detectionThroughput(rng);
  processorCost(rng);
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

/** The processor's own CPU cost per token at V = 32,000 on an LM-like (Zipf) distribution. */
function processorCost(rng) {
  const vocab = 32000;
  const base = Float32Array.from({ length: vocab }, (_, i) => -1.2 * Math.log(1 + i) + rng.normal());
  for (const scheme of SCHEMES) {
    const processor = createWatermark(generateKey(scheme, {}, (n) => rng.bytes(n))).processor();
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
