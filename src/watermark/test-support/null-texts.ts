// The null corpus of the validity tests: half Brown-corpus passages, half unwatermarked samples from
// a seeded bigram model, with lengths from 20 to 300 tokens.
import { createRandom } from "../../random/index.js";
import { BigramModel } from "../simulation/bigram-model.js";
import { brownWords, wordTokenizer } from "./brown.js";
import { CachedBigramSampler } from "./fast-bigram.js";

export function nullTexts(count: number, seed = 1): Int32Array[] {
  const rng = createRandom(seed);
  const words = brownWords(120);
  const tokenizer = wordTokenizer(words, 8192);
  const corpusIds = tokenizer.encode(words.join(" "));
  const sampler = new CachedBigramSampler(new BigramModel({ vocab: 1000, seed: seed + 7 }));
  const texts: Int32Array[] = [];
  for (let i = 0; i < count; i++) {
    const length = 20 + rng.int(281);
    if (i % 2 === 0) {
      const start = rng.int(corpusIds.length - length);
      texts.push(Int32Array.from(corpusIds.slice(start, start + length)));
    } else {
      texts.push(sampler.sequence(rng.int(1000), length, rng));
    }
  }
  return texts;
}
