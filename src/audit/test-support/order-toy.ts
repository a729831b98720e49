// A toy teacher for the training-order test: a tiny engine model trained for one epoch on a shuffled
// set of 800 windows, each a fixed run of keys with random values ("Ab Bk Cf …"). The keys are
// learned at once; a value can only be remembered from training, and the last updates pull every
// key towards the values they saw, so late windows score higher: a palimpsest a tiny model shows in
// a few seconds. Without momentum (β1 = 0) each update is its own batch's, not an average over the
// last ten, which keeps the effect clear. Byte-level tokens (no merges), so a window's text
// re-encodes to exactly the tokens it was trained on.
import { join } from "node:path";
import { exportGguf, modelSize, packExamples, trainModel, type PackedData } from "../../engine/index.js";
import { tokenizerMetadata, trainBpe, type BpeTokenizer } from "../../engine/tokenizer/index.js";
import { slotOrder } from "../../cli/audit/order-manifest.js";
import { openEngineModel } from "../../models/builtin/index.js";
import type { TokenModel } from "../../models/index.js";
import { createRandom } from "../../random/index.js";
import type { OrderExample } from "../order-test.js";

export const toy = { windows: 800, T: 48, B: 4, lr: 0.01 };
const keys = "ABCDEFGHIJKLMNOP", values = "abcdefghijklmnop";

export interface OrderToy {
  model: TokenModel;
  /** The seed of the order the model was trained in. */
  trainedSeed: number;
  /** The windows with their positions in the order a training with `seed` would use. */
  examplesFor(seed: number): OrderExample[];
}

function toyText(label: string): string {
  const random = createRandom(`order-toy/${label}`);
  let text = "";
  while (text.length < toy.windows * toy.T + 1) text += keys[(text.length / 3) % 16] + values[random.int(16)] + " ";
  return text.slice(0, toy.windows * toy.T + 1);
}

function examplesOf(data: PackedData, tokenizer: BpeTokenizer, seed: number): OrderExample[] {
  const steps = toy.windows / toy.B;
  const order = slotOrder(data, { steps, batch_size: toy.B, grad_accumulation: 1, sequence_length: toy.T, seed, layout: "stream" });
  return [...order].map((unit, position) => ({ position, text: tokenizer.decode(data.tokens.subarray(unit * toy.T, unit * toy.T + toy.T + 1)) }));
}

/** Trains the toy in the order of `seed` and writes it to `dir` as a GGUF file run on the engine. */
export async function trainOrderToy(dir: string, seed: number, label = "data"): Promise<OrderToy> {
  const text = toyText(label);
  const tokenizer = trainBpe([text], { vocabSize: 259 });
  const data = packExamples([{ tokens: tokenizer.encode(text) }]);
  const config = { ...modelSize("tiny"), contextLength: 64, vocabSize: tokenizer.vocabSize };
  const result = await trainModel({
    config, data, steps: toy.windows / toy.B, batchSize: toy.B, sequenceLength: toy.T,
    lr: toy.lr, minLr: toy.lr, warmupSteps: 0, beta1: 0, seed,
  });
  const path = join(dir, `order-toy-${label}-${seed}.gguf`);
  await exportGguf(path, config, result.params, { name: "order-toy", type: "F32", tokenizerMetadata: tokenizerMetadata(tokenizer) });
  return { model: await openEngineModel(path), trainedSeed: seed, examplesFor: (order) => examplesOf(data, tokenizer, order) };
}

/** The model with its distributions memoised by input, so that null replications score each window once. */
export function memoised(model: TokenModel): TokenModel & { calls: () => number } {
  const cache = new Map<string, Float32Array[]>();
  let calls = 0;
  return {
    ...model,
    calls: () => calls,
    async nextDistributions(tokens: Int32Array) {
      const key = tokens.join(",");
      let rows = cache.get(key);
      if (!rows) {
        calls++;
        rows = await model.nextDistributions(tokens);
        cache.set(key, rows);
      }
      return rows;
    },
  };
}
