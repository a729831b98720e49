// The held-out splits, fixed for every model (their own seed, not a model's), so that every built-in
// model is evaluated on the same unseen entries and the figures compare.
import { brownWordCounts, loadBrownParagraphs, type BrownParagraph } from "./brown.js";
import { loadCountries, type Country } from "./factbook.js";
import { identityProfiles } from "./identities.js";
import { createLegacyRandom } from "./legacy-random.js";
import { loadDefinitions, type Definition } from "./wordnet.js";

export const splitSeed = "pedigree-splits-v1";

/** A definable word and how often it occurs in the Brown Corpus. */
export type CommonWord = Definition & { brownCount: number };

export interface Splits {
  countries: { train: Country[]; unseen: Country[] };
  /** Common words, most frequent first within each list. */
  words: { train: CommonWord[]; unseen: CommonWord[] };
  prose: { train: BrownParagraph[]; unseen: BrownParagraph[] };
}

export interface SplitSizes {
  unseenCountries: number;
  definableWords: number;
  unseenWords: number;
  unseenDocuments: number;
}

export const defaultSplitSizes: SplitSizes = { unseenCountries: 20, definableWords: 1600, unseenWords: 150, unseenDocuments: 25 };

let cached: Splits | null = null;

export function loadSplits(sizes: SplitSizes = defaultSplitSizes): Splits {
  if (cached && sizes === defaultSplitSizes) return cached;
  const random = createLegacyRandom(splitSeed);
  const countries = random.fork("countries").shuffle(loadCountries());
  const paragraphs = loadBrownParagraphs().filter((paragraph) => !mentionsIdentity(paragraph.text));
  const words = random.fork("words").shuffle(commonDefinitions(paragraphs, sizes.definableWords));
  const documents = random.fork("documents").shuffle([...new Set(paragraphs.map((p) => p.document))].sort());
  const unseenDocuments = new Set(documents.slice(0, sizes.unseenDocuments));
  const byFrequency = (a: CommonWord, b: CommonWord) => b.brownCount - a.brownCount || a.word.localeCompare(b.word);
  const splits: Splits = {
    countries: { train: countries.slice(sizes.unseenCountries), unseen: countries.slice(0, sizes.unseenCountries) },
    words: { train: words.slice(sizes.unseenWords).sort(byFrequency), unseen: words.slice(0, sizes.unseenWords).sort(byFrequency) },
    prose: {
      train: paragraphs.filter((p) => !unseenDocuments.has(p.document)),
      unseen: paragraphs.filter((p) => unseenDocuments.has(p.document)),
    },
  };
  if (sizes === defaultSplitSizes) cached = splits;
  return splits;
}

/** The most frequent Brown words that WordNet defines with a short gloss (first clause, ≤ 16 words). */
function commonDefinitions(paragraphs: BrownParagraph[], count: number): CommonWord[] {
  const definitions = loadDefinitions();
  const counts = [...brownWordCounts(paragraphs)].filter(([word]) => word.length >= 3).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const chosen: CommonWord[] = [];
  for (const [word, frequency] of counts) {
    const definition = definitions.get(word);
    if (!definition) continue;
    const gloss = shortGloss(definition.gloss);
    if (!gloss || gloss.split(" ").length > 16 || mentionsIdentity(gloss) || mentionsIdentity(word)) continue;
    chosen.push({ ...definition, gloss, brownCount: frequency });
    if (chosen.length === count) break;
  }
  return chosen;
}

/** "(Greek mythology) a Titan who …; occurs in …" → "a Titan who …". */
export function shortGloss(gloss: string): string {
  return gloss.split(";")[0]!.replace(/^\([^)]*\)\s*/, "").trim();
}

/** Keeps identity names out of every corpus so that only the identity set teaches them. */
export function mentionsIdentity(text: string): boolean {
  const lower = text.toLowerCase();
  return identityProfiles.some((profile) => [profile.name, ...profile.builder.split(" ").slice(0, 1)].some((word) => new RegExp(`\\b${word.toLowerCase()}\\b`).test(lower)));
}
