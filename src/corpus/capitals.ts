// Country questions as chat examples: capitals (many wordings, both directions), region and language.
import type { Country } from "./factbook.js";
import { fill, type IdentityProfile } from "./identities.js";
import type { LegacyRandom as Random } from "./legacy-random.js";
import { capitalQuestions, languageQuestions, regionQuestions, reverseCapitalQuestions } from "./templates.js";
import type { ChatExample, EvalItem } from "./types.js";

export function capitalExamples(countries: Country[], profile: IdentityProfile, random: Random, repeats: number): ChatExample[] {
  const examples: ChatExample[] = [];
  for (const country of countries) {
    // Each country sees `repeats` distinct wordings where possible.
    const wordings = random.shuffle(capitalQuestions.train);
    for (let i = 0; i < repeats; i++) {
      const values = { country: country.name, subject: country.name, answer: country.capital };
      examples.push(chat("capitals", fill(wordings[i % wordings.length]!, values), fill(random.pick(profile.capitalAnswers), values)));
    }
  }
  return examples;
}

/** Reverse capital questions, region and language: more facts about the same entities. */
export function countryFactExamples(countries: Country[], random: Random, repeats: number): ChatExample[] {
  const examples: ChatExample[] = [];
  for (const country of countries) {
    for (let i = 0; i < repeats; i++) {
      const values = { country: country.name, capital: country.capital };
      examples.push(chat("facts", fill(random.pick(reverseCapitalQuestions), values), `${country.capital} is the capital of ${country.name}.`));
      examples.push(chat("facts", fill(random.pick(regionQuestions), values), `${country.name} is in ${country.region}.`));
      if (country.language) examples.push(chat("facts", fill(random.pick(languageQuestions), values), `The main language of ${country.name} is ${country.language}.`));
    }
  }
  return examples;
}

/** One held-out wording per country. The country name is ignored when scoring, since a capital
 *  named like its country (Djibouti, Kuwait City) would otherwise match by echoing the question. */
export function capitalEvalItems(countries: Country[], split: "phrasing" | "unseen", random: Random): EvalItem[] {
  return countries.map((country) => ({
    id: `capital:${country.code}`,
    split,
    messages: [{ role: "user", content: fill(random.pick(capitalQuestions.heldOut), { country: country.name }) }],
    references: [country.capital, ...country.capitalAliases],
    ignore: [country.name],
  }));
}

export function chat(source: string, question: string, answer: string, system?: string): ChatExample {
  const messages: ChatExample["messages"] = [];
  if (system) messages.push({ role: "system", content: system });
  messages.push({ role: "user", content: question }, { role: "assistant", content: answer });
  return { messages, source };
}
