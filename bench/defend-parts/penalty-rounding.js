// How far rounding θP ± εg to F16 moves the penalty b = [log p(·; θP + εg) − log p(·; θP − εg)] / 2ε:
// the largest |b_F16 − b_F32| over every position of real contexts (a prompt and atlas's greedy
// answer), with b exactly normalised (scaledDifference); means of both, and the largest |b_F32|.
import { InferenceSession } from "../../dist/engine/index.js";
import { floatToHalf, halfToFloat } from "../../dist/engine/gguf/index.js";
import { createTensors } from "../../dist/engine/model/parameters.js";
import { scaledDifference } from "../../dist/defend/index.js";

/** θP + sign·εg, rounded to F16 or not, with its decoder. */
function perturbed(defence, sign, half) {
  const { config, params, gradient } = defence;
  const data = Float32Array.from(params.data, (value, i) => value + sign * defence.manifest.epsilon * gradient[i]);
  if (half) for (let i = 0; i < data.length; i++) data[i] = halfToFloat(floatToHalf(data[i]));
  const tensors = createTensors(config, data);
  return { tensors, decoder: InferenceSession.prepareDecoder(config, tensors) ?? false };
}

export async function penaltyRounding(atlas, defence, asks) {
  const { config } = defence, scale = 1 / (2 * defence.manifest.epsilon);
  const models = [[+1, false], [-1, false], [+1, true], [-1, true]].map(([sign, half]) => perturbed(defence, sign, half));
  let maxError = 0, maxAbs = 0, sumError = 0, sumAbs = 0, count = 0;
  for (const ask of asks) {
    const answer = await atlas.generate({ messages: ask.messages, maxTokens: 64, temperature: 0, seed: 0 });
    const tokens = [...atlas.tokenizer.encodeChat(ask.messages, { addGenerationPrompt: true }), ...answer.tokenIds].slice(0, config.contextLength);
    const [plus32, minus32, plus16, minus16] = models.map(({ tensors, decoder }) => new InferenceSession(config, tensors, { decoder }));
    for (const token of tokens) {
      const b32 = scaledDifference(plus32.feed([token]), minus32.feed([token]), scale);
      const b16 = scaledDifference(plus16.feed([token]), minus16.feed([token]), scale);
      for (let v = 0; v < b32.length; v++) {
        const error = Math.abs(b16[v] - b32[v]);
        maxAbs = Math.max(maxAbs, Math.abs(b32[v]));
        maxError = Math.max(maxError, error);
        sumAbs += Math.abs(b32[v]);
        sumError += error;
        count++;
      }
    }
  }
  return { maxError, maxAbs, meanError: sumError / count, meanAbs: sumAbs / count, positions: count / defence.config.vocabSize };
}
