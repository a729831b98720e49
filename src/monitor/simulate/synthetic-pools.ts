// Prompt pools of seeded random words, for tests and quick demos (the packaged corpora live in
// another room): each topic has its own vocabulary; every topic shares fifteen question forms.
import { createRandom } from "../../random/index.js";
import type { PromptPools } from "./traffic.js";

const FORMS = [
  "what is {a} {b}?", "how does {a} affect {b}?", "tell me about {a} and {b}.", "why is {a} so {b}?", "explain {a} {b} {c}.",
  "can {a} be {b} without {c}?", "{a} {b} {c} {d}, is that right?", "compare {a} with {b}.", "list some {a} of {b}.", "is {a} older than {b}?",
  "where do {a} and {b} meet?", "who first wrote about {a}?", "define {a}.", "give an example of {a} in {b}.", "{a}: {b} or {c}?",
];

export function syntheticPools(seed: string, topics = 6, perTopic = 400): PromptPools {
  const rng = createRandom(seed);
  const word = () => Array.from({ length: 3 + rng.int(6) }, () => String.fromCharCode(97 + rng.int(26))).join("");
  const pools: Record<string, string[]> = {};
  for (let t = 0; t < topics; t++) {
    const vocabulary = Array.from({ length: 150 }, word);
    const pickWord = () => vocabulary[rng.int(vocabulary.length)]!;
    const prompts = new Set<string>();
    while (prompts.size < perTopic) {
      const form = FORMS[rng.int(FORMS.length)]!;
      prompts.add(form.replace(/\{[a-d]\}/g, () => `${pickWord()}${rng.uniform32() < 0.3 ? ` ${pickWord()}` : ""}`));
    }
    pools[`topic-${t}`] = [...prompts];
  }
  return pools;
}
