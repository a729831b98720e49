// Shapes shared by every corpus builder. A chat example is what `pedigree train --data` reads per line.
export interface ChatTurn {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface ChatExample {
  messages: ChatTurn[];
  /** Which builder made it (capitals, definitions, prose, identity, facts); not used in training. */
  source?: string;
}

/** `phrasing`: a question wording never trained on, about an entry that is trained on.
 *  `unseen`: an entry (country, word) that training never sees at all.
 *  `seen`: a trained wording (identity probes only, to compare with unseen wordings). */
export type EvalSplit = "phrasing" | "unseen" | "seen";

export interface EvalItem {
  id: string;
  split: EvalSplit;
  messages: ChatTurn[];
  /** Accepted answers (capitals), the reference gloss (definitions); empty for identity probes. */
  references: string[];
  /** Text that must not count as an answer (the country name echoed from the question). */
  ignore?: string[];
}

export interface EvalTaskData {
  name: "capitals" | "definitions" | "identity";
  items: EvalItem[];
  /** Identity task: the known identities and the words that count as claiming each. */
  identities?: { name: string; markers: string[] }[];
}
