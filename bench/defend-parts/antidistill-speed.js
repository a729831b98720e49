// The speed part of `npm run bench -- defend`: atlas served plain and with antidistillation sampling
// (one defence per proxy size, θP ± εg in F16 as served, and `mini` in F32 as before) on the same
// prompts, in interleaved rounds whose order rotates. Also how far the F16 rounding moves b and the
// defended answers. Trains no students: `DEFEND_PARTS=speed` takes minutes (the first run prepares
// the defences). DEFEND_SPEED_PROXIES (default mini,tiny), DEFEND_SPEED_ROUNDS, DEFEND_SPEED_LAMBDA.
import { resolveModel } from "pedigree/models";
import { AntidistillSampler, DEFAULT_LAMBDA } from "../../dist/defend/index.js";
import { promptsOf, storyExamples } from "../../dist/cli/story/corpus-prompts.js";
import { preparedDefence } from "./antidistill-defence.js";
import { penaltyRounding } from "./penalty-rounding.js";

const proxies = (process.env.DEFEND_SPEED_PROXIES ?? "mini,tiny").split(",");
const rounds = Number(process.env.DEFEND_SPEED_ROUNDS ?? 20);
const lambda = Number(process.env.DEFEND_SPEED_LAMBDA ?? DEFAULT_LAMBDA);

export async function runAntidistillSpeed({ cache }) {
  const atlas = await resolveModel("atlas");
  const asks = promptsOf(storyExamples(40, 23), "speed");
  const peers = [{ name: "plain", processors: () => undefined }];
  for (const proxy of proxies) {
    const defence = await preparedDefence({ cache, atlas, proxy });
    console.log(`defend_proxy_params_${proxy}: ${defence.manifest.proxy.parameters} params`);
    const f16 = new AntidistillSampler(defence, { lambda }), f32 = new AntidistillSampler(defence, { lambda, precision: "f32" });
    peers.push({ name: proxy, processors: () => [f16.processor()] });
    if (proxy === "mini") peers.push({ name: "mini_f32", processors: () => [f32.processor()] });
    const rounding = await penaltyRounding(atlas, defence, asks);
    console.log(`defend_b_f16_max_error_${proxy}: ${rounding.maxError.toPrecision(3)} b`);
    console.log(`defend_b_max_${proxy}: ${rounding.maxAbs.toPrecision(3)} b`);
    console.log(`defend_b_f16_mean_error_${proxy}: ${rounding.meanError.toPrecision(3)} b`);
    console.log(`defend_b_mean_${proxy}: ${rounding.meanAbs.toPrecision(3)} b`);
    console.log(`defend_b_positions_${proxy}: ${rounding.positions} positions`);
    const same = await sameAnswers(atlas, asks, f16, f32);
    console.log(`defend_f16_same_answers_${proxy}: ${same.toFixed(3)} share`);
  }
  const rate = new Map(peers.map((peer) => [peer.name, { tokens: 0, seconds: 0 }]));
  for (let round = 0; round < rounds; round++) {
    // Rotate the order so that no peer always runs first (the machine's speed drifts).
    for (const peer of [...peers.slice(round % peers.length), ...peers.slice(0, round % peers.length)]) {
      const started = performance.now();
      let tokens = 0;
      for (const ask of asks) tokens += (await generate(atlas, ask, peer.processors())).usage.completionTokens;
      rate.get(peer.name).tokens += tokens;
      rate.get(peer.name).seconds += (performance.now() - started) / 1000;
    }
  }
  const perSecond = (name) => rate.get(name).tokens / rate.get(name).seconds;
  console.log(`plain_tokens_per_s: ${perSecond("plain").toFixed(0)} tokens/s`);
  for (const peer of peers.slice(1)) {
    // The `mini` proxy's figures keep the names (defend_slowdown); the others say their peer.
    const suffix = peer.name === "mini" ? "" : `_${peer.name}`;
    console.log(`defend_tokens_per_s${suffix}: ${perSecond(peer.name).toFixed(0)} tokens/s`);
    console.log(`defend_slowdown${suffix}: ${(perSecond("plain") / perSecond(peer.name)).toFixed(2)} ratio`);
  }
  await atlas.close?.();
}

function generate(atlas, ask, logitsProcessors) {
  return atlas.generate({ messages: ask.messages, maxTokens: 64, temperature: 0, seed: 0, logitsProcessors });
}

/** Share of prompts whose greedy defended answer is the same with θP ± εg in F16 and in F32. */
async function sameAnswers(atlas, asks, f16, f32) {
  let same = 0;
  for (const ask of asks) {
    const [a, b] = [await generate(atlas, ask, [f16.processor()]), await generate(atlas, ask, [f32.processor()])];
    if (a.text === b.text) same++;
  }
  return same / asks.length;
}
