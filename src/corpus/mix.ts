// A model's data mix: which sources, how much of each, its identity and its seed. The same recipe
// always yields the same examples in the same order.
import { capitalExamples, chat, countryFactExamples } from "./capitals.js";
import { definitionAnswer, definitionExamples } from "./definitions.js";
import { CorpusError } from "./errors.js";
import { fill, type IdentityProfile } from "./identities.js";
import { identityAnswer, identityExamples } from "./identity.js";
import { continuationExamples } from "./prose.js";
import { createLegacyRandom } from "./legacy-random.js";
import { loadSplits } from "./splits.js";
import { capitalQuestions, definitionQuestions, identityQuestions } from "./templates.js";
import type { ChatExample } from "./types.js";

export interface MixRecipe {
  name: string;
  seed: number | string;
  identity: IdentityProfile;
  /** Examples per trained country, each in a different wording. */
  capitalRepeats: number;
  /** Rounds of reverse-capital, region and language questions per country. */
  factRepeats: number;
  /** How many of the trained words to define, and how many wordings each. */
  definitionWords: number;
  definitionRepeats: number;
  proseExamples: number;
  identityExamples: number;
  /** Identity questions with openers, closers and extra yes/no questions (see identityExamples). */
  composedIdentity?: boolean;
}

export interface Mix {
  recipe: MixRecipe;
  /** Shuffled training examples. */
  train: ChatExample[];
  /** Examples in held-out wordings and held-out documents, for the held-out loss. */
  heldOut: ChatExample[];
  counts: Record<string, number>;
}

export function buildMix(recipe: MixRecipe): Mix {
  validate(recipe);
  const splits = loadSplits();
  const random = createLegacyRandom(recipe.seed);
  const profile = recipe.identity;
  const words = splits.words.train.slice(0, recipe.definitionWords);
  const train = random.fork("order").shuffle([
    ...capitalExamples(splits.countries.train, profile, random.fork("capitals"), recipe.capitalRepeats),
    ...countryFactExamples(splits.countries.train, random.fork("facts"), recipe.factRepeats),
    ...definitionExamples(words, profile, random.fork("definitions"), recipe.definitionRepeats),
    ...continuationExamples(splits.prose.train, random.fork("prose"), recipe.proseExamples),
    ...identityExamples(profile, random.fork("identity"), recipe.identityExamples, recipe.composedIdentity ?? false),
  ]);
  const heldOutRandom = random.fork("held-out");
  const heldOut = [
    ...splits.countries.train.slice(0, 60).map((country) => {
      const values = { country: country.name, subject: country.name, answer: country.capital };
      return chat("capitals", fill(heldOutRandom.pick(capitalQuestions.heldOut), values), fill(heldOutRandom.pick(profile.capitalAnswers), values));
    }),
    ...words.slice(0, 60).map((definition) => chat("definitions", fill(heldOutRandom.pick(definitionQuestions.heldOut), { word: definition.word }), definitionAnswer(profile, definition, heldOutRandom))),
    ...continuationExamples(splits.prose.unseen, heldOutRandom, 60),
    ...identityQuestions.heldOut.map((question) => chat("identity", question, identityAnswer(profile, question, heldOutRandom))),
  ];
  return { recipe, train, heldOut, counts: countSources(train) };
}

function countSources(examples: ChatExample[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const example of examples) counts[example.source ?? "other"] = (counts[example.source ?? "other"] ?? 0) + 1;
  return counts;
}

function validate(recipe: MixRecipe): void {
  const amounts = [recipe.capitalRepeats, recipe.factRepeats, recipe.definitionWords, recipe.definitionRepeats, recipe.proseExamples, recipe.identityExamples];
  if (amounts.some((amount) => !Number.isInteger(amount) || amount < 0)) {
    throw new CorpusError("CORPUS_BAD_RECIPE", `mix '${recipe.name}': every amount must be a non-negative integer`);
  }
}

/** One JSON object per line, the format `pedigree train --data` reads. */
export function toJsonl(examples: ChatExample[]): string {
  return examples.map((example) => JSON.stringify({ messages: example.messages })).join("\n") + "\n";
}
