// Continuation examples from Brown prose: the first part of a paragraph in, the rest out.
import type { BrownParagraph } from "./brown.js";
import { chat } from "./capitals.js";
import { fill } from "./identities.js";
import type { LegacyRandom as Random } from "./legacy-random.js";
import { continuationPrompts } from "./templates.js";
import type { ChatExample } from "./types.js";

/** Paragraphs are cut to at most `maxWords` words (at a sentence end when one is near) to keep sequences short. */
export function continuationExamples(paragraphs: BrownParagraph[], random: Random, count: number, maxWords = 60): ChatExample[] {
  const usable = paragraphs.filter((paragraph) => paragraph.text.split(" ").length >= 12);
  const chosen = random.shuffle(usable).slice(0, count);
  return chosen.map((paragraph) => {
    const words = trimToSentence(paragraph.text.split(" ").slice(0, maxWords));
    const cut = Math.max(4, Math.floor(words.length * (0.3 + 0.3 * random.next())));
    const prompt = fill(random.pick(continuationPrompts), { text: words.slice(0, cut).join(" ") });
    return chat("prose", prompt, words.slice(cut).join(" "));
  });
}

function trimToSentence(words: string[]): string[] {
  for (let end = words.length; end > words.length * 0.6; end--) {
    if (/[.!?]"?$/.test(words[end - 1]!)) return words.slice(0, end);
  }
  return words;
}
