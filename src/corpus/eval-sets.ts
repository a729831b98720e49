// The evaluation sets: held-out wordings about trained entries, plus entries never trained on.
// They depend only on the fixed splits, so every model is scored on the same items.
import { capitalEvalItems } from "./capitals.js";
import { definitionEvalItems } from "./definitions.js";
import { CorpusError } from "./errors.js";
import { identityEvalTask } from "./identity.js";
import { createLegacyRandom } from "./legacy-random.js";
import { loadSplits, splitSeed } from "./splits.js";
import type { EvalTaskData } from "./types.js";

export const evalTaskNames = ["capitals", "definitions", "identity"] as const;
export type EvalTaskName = (typeof evalTaskNames)[number];

/** Countries whose capital shares their name cannot be scored fairly (the question gives it away). */
const sharesName = (country: { name: string; capital: string }) => country.name.includes(country.capital) || country.capital.includes(country.name);

export function buildEvalTask(name: string): EvalTaskData {
  const random = createLegacyRandom(`${splitSeed}/eval/${name}`);
  switch (name) {
    case "capitals": {
      const splits = loadSplits();
      return {
        name,
        items: [
          ...capitalEvalItems(splits.countries.train.filter((c) => !sharesName(c)), "phrasing", random),
          ...capitalEvalItems(splits.countries.unseen.filter((c) => !sharesName(c)), "unseen", random),
        ],
      };
    }
    case "definitions": {
      const splits = loadSplits();
      return {
        name,
        items: [...definitionEvalItems(splits.words.train.slice(0, 200), "phrasing", random), ...definitionEvalItems(splits.words.unseen, "unseen", random)],
      };
    }
    case "identity":
      return identityEvalTask();
    default:
      throw new CorpusError("CORPUS_UNKNOWN_TASK", `no evaluation task '${name}'; use one of ${evalTaskNames.join(", ")}`);
  }
}
