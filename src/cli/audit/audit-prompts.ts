// The audit's default prompts, drawn with the audit's seed:
//   agreement: held-out material no built-in model trained on: capitals of the unseen countries and
//     definitions of the unseen words in the held-out wordings, and prose from the unseen documents
//     behind a wording no training set uses;
//   radioactivity: prompts like those a harvester sends (the teacher's own task mix), since a student
//     shows its teacher's watermark most where it learned from it. Exactness does not depend on them.
import { loadSplits } from "../../corpus/index.js";
import { capitalQuestions, continuationPrompts, definitionQuestions } from "../../corpus/templates.js";
import { createRandom } from "../../random/index.js";
import type { AuditPrompt } from "../../audit/index.js";
import type { Random } from "../../random/index.js";

const unseenContinuation = "Carry on writing from here: {text}";

function opening(text: string, words: number): string {
  return text.split(/\s+/).slice(0, words).join(" ");
}

function ask(id: string, content: string): AuditPrompt {
  return { id, messages: [{ role: "user", content }] };
}

export function agreementPrompts(count: number, seed: number): AuditPrompt[] {
  const splits = loadSplits();
  const random = createRandom(seed * 7919 + 1);
  const pool: AuditPrompt[] = [];
  for (const country of splits.countries.unseen) {
    for (const [w, wording] of capitalQuestions.heldOut.entries()) pool.push(ask(`capital:${country.name}:${w}`, wording.replace("{country}", country.name)));
  }
  for (const word of splits.words.unseen) {
    for (const [w, wording] of definitionQuestions.heldOut.entries()) pool.push(ask(`definition:${word.word}:${w}`, wording.replace("{word}", word.word)));
  }
  for (const [p, paragraph] of splits.prose.unseen.entries()) pool.push(ask(`prose:${paragraph.document}:${p}`, unseenContinuation.replace("{text}", opening(paragraph.text, 12))));
  return draw(pool, count, random);
}

export function radioactivityPrompts(count: number, seed: number): AuditPrompt[] {
  const splits = loadSplits();
  const random = createRandom(seed * 104729 + 3);
  const pool: AuditPrompt[] = [];
  for (const country of [...splits.countries.train, ...splits.countries.unseen]) {
    for (const [w, wording] of capitalQuestions.train.entries()) pool.push(ask(`r-capital:${country.name}:${w}`, wording.replace("{country}", country.name)));
  }
  for (const word of splits.words.train.slice(0, 600)) {
    for (const [w, wording] of definitionQuestions.train.slice(0, 3).entries()) pool.push(ask(`r-definition:${word.word}:${w}`, wording.replace("{word}", word.word)));
  }
  for (const [p, paragraph] of splits.prose.train.slice(0, 1500).entries()) {
    pool.push(ask(`r-prose:${paragraph.document}:${p}`, continuationPrompts[p % continuationPrompts.length]!.replace("{text}", opening(paragraph.text, 16))));
  }
  return draw(pool, count, random);
}

function draw(pool: AuditPrompt[], count: number, random: Random): AuditPrompt[] {
  const indices = pool.map((_, i) => i);
  const wanted = Math.min(count, pool.length);
  for (let i = 0; i < wanted; i++) {
    const j = i + random.int(indices.length - i);
    [indices[i], indices[j]] = [indices[j]!, indices[i]!];
  }
  return indices.slice(0, wanted).map((i) => pool[i]!);
}
