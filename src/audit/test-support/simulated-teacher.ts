// A simulated teacher behind a gateway, for reading-mode tests: a seeded random bigram model over the
// words of a WordTokenizer, sampled with the watermark's logits processor after each prompt (the
// processor sees the prompt too, as in the gateway). Served answers are text, the exchange log's form.
import type { Random } from "../../random/index.js";
import type { Watermark } from "../../watermark/index.js";
import { BigramModel } from "../../watermark/simulation/bigram-model.js";
import { generateTokens, type NextLogits } from "../../watermark/simulation/generate.js";
import { CachedBigramSampler } from "../../watermark/test-support/fast-bigram.js";
import type { ServedText } from "../reading-test.js";
import { WordTokenizer, wordList } from "./word-tokenizer.js";

export interface ServeOptions {
  count: number;
  /** Answer length in words. */
  length: number;
  /** Prompts quote the first half of an earlier answer of the same batch ("continue this text"). */
  quote?: boolean;
  /** Every answer opens with this word (as chat answers open with "The" or "Sure"), under the watermark. */
  opener?: string;
}

export class SimulatedTeacher {
  readonly tokenizer: WordTokenizer;
  readonly model: BigramModel;
  private readonly sampler: CachedBigramSampler;
  private readonly rows = new Map<number, Float32Array>();
  /** The model's logits, each row computed once (the processors edit a copy). */
  private readonly cached: NextLogits;

  constructor(vocab = 400, seed = 11, options: { initial?: boolean } = {}) {
    this.tokenizer = new WordTokenizer(wordList(vocab, `teacher-words-${seed}`), options);
    this.model = new BigramModel({ vocab, seed });
    this.sampler = new CachedBigramSampler(this.model);
    this.cached = {
      vocab,
      logits: (previous, out = new Float32Array(vocab)) => {
        let row = this.rows.get(previous);
        if (!row) this.rows.set(previous, (row = this.model.logits(previous)));
        out.set(row);
        return out;
      },
    };
  }

  readonly encode = (text: string): number[] => this.tokenizer.encode(text);
  readonly decode = (ids: ArrayLike<number>): string => this.tokenizer.decode(ids);

  /** Answers to fresh prompts, watermarked with `watermark` (plain without it). */
  serve(watermark: Watermark | null, random: Random, options: ServeOptions): ServedText[] {
    const words = this.tokenizer.words;
    const served: ServedText[] = [];
    for (let i = 0; i < options.count; i++) {
      const instruction = Array.from({ length: 3 + random.int(4) }, () => words[1 + random.int(words.length - 1)]!);
      const earlier = served.length > 0 ? served[random.int(served.length)]!.answer.split(" ") : [];
      const quoted = options.quote ? earlier.slice(0, Math.ceil(earlier.length / 2)) : [];
      const content = [...instruction, ...quoted].join(" ");
      const opener = options.opener === undefined ? [] : this.encode(options.opener);
      const prompt = [...this.encode(content), ...opener];
      const rest = options.length - opener.length;
      const ids = watermark
        ? generateTokens(this.cached, prompt, rest, random, [watermark.processor()])
        : this.sampler.sequence(prompt[prompt.length - 1]!, rest, random);
      served.push({ prompt: [{ role: "user", content }], answer: this.decode([...opener, ...ids]) });
    }
    return served;
  }
}
