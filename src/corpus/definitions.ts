// Word definitions as chat examples: "What does X mean?" → the WordNet gloss, in the model's style.
import { fill, type IdentityProfile } from "./identities.js";
import type { LegacyRandom as Random } from "./legacy-random.js";
import { chat } from "./capitals.js";
import { definitionQuestions } from "./templates.js";
import type { ChatExample, EvalItem } from "./types.js";
import type { Definition } from "./wordnet.js";

export function definitionAnswer(profile: IdentityProfile, definition: Definition, random: Random): string {
  return fill(random.pick(profile.definitionAnswers), { word: definition.word, gloss: definition.gloss });
}

export function definitionExamples(words: Definition[], profile: IdentityProfile, random: Random, repeats: number): ChatExample[] {
  const examples: ChatExample[] = [];
  for (const definition of words) {
    const wordings = random.shuffle(definitionQuestions.train);
    for (let i = 0; i < repeats; i++) {
      const question = fill(wordings[i % wordings.length]!, { word: definition.word });
      examples.push(chat("definitions", question, definitionAnswer(profile, definition, random)));
    }
  }
  return examples;
}

export function definitionEvalItems(words: Definition[], split: "phrasing" | "unseen", random: Random): EvalItem[] {
  return words.map((definition) => ({
    id: `definition:${definition.word}`,
    split,
    messages: [{ role: "user", content: fill(random.pick(definitionQuestions.heldOut), { word: definition.word }) }],
    references: [definition.gloss],
  }));
}
