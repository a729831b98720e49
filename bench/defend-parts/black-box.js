// The black-box part of `npm run bench -- defend` (see bench/defend.js): candidate selection over
// atlas treated as an upstream that only returns sampled tokens. For each text, a fresh KGW key
// (the default γ 0.25, h 1); atlas samples n candidates of k tokens at τ = 1 from the text so far
// (end-of-turn suppressed so that answers reach 200 tokens); the candidate whose text scores the
// smallest detection p-value is kept. n = 1 is atlas unwatermarked, the baseline for perplexity.
import { InferenceSession, loadGgufModel, sampleToken } from "pedigree/engine";
import { builtinModelPath } from "pedigree/models";
import { createRandom } from "pedigree/random";
import { createWatermark, generateKey } from "pedigree/watermark";
import { chooseCandidate } from "../../dist/defend/index.js";
import { promptsOf, storyExamples } from "../../dist/cli/story/corpus-prompts.js";

const texts = Number(process.env.BLACKBOX_TEXTS ?? 100);
const chunk = Number(process.env.BLACKBOX_CHUNK ?? 8);
const length = 200;

/** Log-probability of each token under the unmodified model (τ = 1). */
function logProbability(logits, token) {
  let max = -Infinity;
  for (const value of logits) if (value > max) max = value;
  let sum = 0;
  for (const value of logits) sum += Math.exp(value - max);
  return logits[token] - max - Math.log(sum);
}

async function selectedTexts(n) {
  const { config, params, tokenizer } = await loadGgufModel(builtinModelPath("atlas"));
  const decoder = InferenceSession.prepareDecoder(config, params);
  const session = new InferenceSession(config, params, { decoder });
  const banStops = { process: (_context, logits) => { for (const id of tokenizer.stopIds) logits[id] = -Infinity; } };
  // Prompts short enough for the prompt and 200 answer tokens to fit atlas's context.
  const prompts = promptsOf(storyExamples(texts * 3, 31), "blackbox")
    .filter((prompt) => tokenizer.encodeChat(prompt.messages, { addGenerationPrompt: true }).length + length <= config.contextLength).slice(0, texts);
  const out = [];
  for (const [index, prompt] of prompts.entries()) {
    const random = createRandom(`blackbox/${n}/${index}`);
    const keyRandom = createRandom(`blackbox-key/${index}`);
    const watermark = createWatermark(generateKey("kgw", {}, (count) => keyRandom.bytes(count)));
    const promptIds = tokenizer.encodeChat(prompt.messages, { addGenerationPrompt: true });
    const accepted = [];
    const logprobs = [];
    session.rewind(0);
    let prefixLogits = session.feed(promptIds);
    while (accepted.length < length) {
      const start = promptIds.length + accepted.length;
      const size = Math.min(chunk, length - accepted.length);
      const candidates = [];
      for (let c = 0; c < n; c++) {
        session.rewind(start);
        const tokens = [], scores = [];
        let logits = prefixLogits;
        for (let t = 0; t < size; t++) {
          const context = [...promptIds, ...accepted, ...tokens];
          const token = sampleToken(logits, context, { temperature: 1, processors: [banStops], random });
          scores.push(logProbability(logits, token));
          tokens.push(token);
          if (t + 1 < size) logits = session.feed([token]);
        }
        candidates.push({ tokens, scores });
      }
      const { index: best } = chooseCandidate(watermark, accepted, candidates.map((c) => c.tokens), promptIds);
      accepted.push(...candidates[best].tokens);
      logprobs.push(...candidates[best].scores);
      session.rewind(start);
      if (accepted.length < length) prefixLogits = session.feed(candidates[best].tokens);
    }
    const detect = (ids) => watermark.detectTokens(ids, { prompts: [promptIds] }).p_value;
    out.push({ p100: detect(accepted.slice(0, 100)), p200: detect(accepted), logprob100: mean(logprobs.slice(0, 100)), logprob200: mean(logprobs), sampled: n * length });
  }
  return out;
}

const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;

export async function runBlackBox({ memo }) {
  const baseline = await memo(`blackbox-n1-k${chunk}-t${texts}`, () => selectedTexts(1));
  const perplexity = (rows) => Math.exp(-mean(rows.map((row) => row.logprob200)));
  const fpr = baseline.filter((row) => row.p200 <= 1e-3).length / baseline.length;
  console.log(`blackbox_fpr_200_n1: ${fpr.toFixed(3)} share (unselected text, threshold 1e-3)`);
  console.log(`blackbox_perplexity_n1: ${perplexity(baseline).toFixed(2)} perplexity`);
  for (const n of [2, 4, 8]) {
    const rows = await memo(`blackbox-n${n}-k${chunk}-t${texts}`, () => selectedTexts(n));
    for (const tokens of [100, 200]) {
      const tpr = rows.filter((row) => row[`p${tokens}`] <= 1e-3).length / rows.length;
      console.log(`blackbox_tpr_${tokens}_n${n}: ${tpr.toFixed(3)} share (FPR 1e-3, ${rows.length} texts, chunks of ${chunk})`);
    }
    console.log(`blackbox_upstream_tokens_n${n}: ${(mean(rows.map((row) => row.sampled)) / length).toFixed(1)} tokens per served token`);
    console.log(`blackbox_perplexity_n${n}: ${perplexity(rows).toFixed(2)} perplexity`);
    console.log(`blackbox_perplexity_n${n}_ratio: ${(perplexity(rows) / perplexity(baseline)).toFixed(3)} ratio`);
  }
}
