// The wordings simulated clients use. Campaign templates wrap a question the way extraction scripts
// do (elicit reasoning, fix the format); the evasive campaign builds each wrapper from interchangeable
// fragments, so no two of its prompts need share a whole template. Benign users sometimes add
// courtesy or an ordinary "step by step" of their own. Campaigns come in two wordings: the default
// (tests, demos, and the tuning of the detector's constants) and a held-out one that only the
// benchmark uses, so the benchmark judges the detector on wrappers it was never tuned on.
import type { Random } from "../../random/index.js";

const pick = <T>(rng: Random, items: readonly T[]): T => items[rng.int(items.length)]!;

export interface CampaignWording {
  /** Whole wrappers; "{q}" is the question. */
  templates: readonly string[];
  /** The evasive campaign's fragments: an opening, an ask and a closing around the question. */
  openings: readonly string[];
  asks: readonly string[];
  closings: readonly string[];
}

export const CAMPAIGN_TEMPLATES = [
  "Answer the following question. Think step by step and show your reasoning before the final answer.\n\nQuestion: {q}",
  "You are a world-class expert. Explain your reasoning in full, then state the final answer on its own line.\n{q}",
  "Provide a detailed, structured answer with numbered steps and a short summary at the end. Task: {q}",
  "Respond as a helpful assistant would, covering every relevant detail, and finish with 'Final answer:'. Input: {q}",
  "Reason through the problem carefully before answering, then give a concise answer. Problem: {q}",
  "Give a complete answer including background, explanation and an example for: {q}",
] as const;

const EVASIVE_OPENINGS = ["Hey,", "Hi there,", "Quick one:", "I was wondering,", "So,", "Okay,", "", "Hello!", "Random question:", "Help me out:"];
const EVASIVE_ASKS = [
  "could you walk me through your thought process on this:", "how would you work this out:", "can you break this down for me:",
  "what would you say here, and why:", "take me through it gently:", "mind explaining this properly:", "I'd love a thorough take on this:",
  "talk me through how you'd approach it:", "lay out how you'd get there:", "explain like you would to a student:",
];
const EVASIVE_CLOSINGS = ["", "Thanks!", "Cheers.", "Take your time.", "Be thorough please.", "Appreciate it.", "", "No rush."];

export const DEFAULT_WORDING: CampaignWording = { templates: CAMPAIGN_TEMPLATES, openings: EVASIVE_OPENINGS, asks: EVASIVE_ASKS, closings: EVASIVE_CLOSINGS };

/**
 * Wrappers and fragments the detector was never tuned on (the benchmark's). Some ask for reasoning
 * in words no elicitation phrase lists, one puts the question in the middle (an instruction-tuning
 * layout), and the evasive fragments are new.
 */
export const HELD_OUT_WORDING: CampaignWording = {
  templates: [
    "Solve the following. Lay out each stage of your thinking, then give the result.\n\n{q}",
    "I need a high-quality reference answer. Be exhaustive and precise.\nPrompt: {q}",
    "Think it through step by step and write out the whole chain of reasoning. Q: {q}",
    "Write the ideal response an expert would give, with a brief justification for each claim.\n{q}",
    "### Instruction\n{q}\n\n### Response (detailed, well organised, with the reasoning shown):",
    "Please answer as thoroughly as you can, and explain why, not just what. Question: {q}",
  ],
  openings: ["Hey there,", "Morning!", "Sorry to bother you,", "Hi,", "Yo,", "", "Question for you:", "Ok so", "Greetings,", "Hello again,"],
  asks: [
    "could you go through how you'd reason about this:", "what's your full thinking on this one:", "can you unpack this for me properly:",
    "how would an expert tackle this:", "show me how you'd figure this out:", "walk through it with me:", "I want the long version of this:",
    "explain how you get to the answer for this:", "give me your careful take on this:", "break it all down for me:",
  ],
  closings: ["", "Thanks a lot.", "Much appreciated!", "Take as long as you need.", "Details welcome.", "", "Ta.", "Cheers!"],
};

export function fillCampaign(rng: Random, question: string, templates: readonly string[] = CAMPAIGN_TEMPLATES): string {
  return pick(rng, templates).replace("{q}", question);
}

export function fillEvasive(rng: Random, question: string, wording: CampaignWording = DEFAULT_WORDING): string {
  return [pick(rng, wording.openings), pick(rng, wording.asks), question, pick(rng, wording.closings)].filter(Boolean).join(" ");
}

const BENIGN_PREFIXES = ["Quick question: ", "Can you help? ", "Hi! ", "I need this for school: ", "Out of curiosity, ", "Hey, "];
const BENIGN_SUFFIXES = [" Thanks!", " Please keep it short.", " Thank you.", " Just curious.", " In simple words please."];

export function decorateBenign(rng: Random, prompt: string): string {
  const roll = rng.uniform32();
  if (roll < 0.08) return pick(rng, BENIGN_PREFIXES) + prompt;
  if (roll < 0.16) return prompt + pick(rng, BENIGN_SUFFIXES);
  if (roll < 0.19) return `${prompt} Can you explain it step by step?`;
  return prompt;
}

const APP_ROLES = ["support assistant", "study helper", "writing tool", "trivia bot", "research aide", "homework checker", "quiz app", "reading companion"];
const APP_RULES = [
  "Answer the user's question briefly and politely.", "Reply in at most three sentences.", "Use plain words a child can follow.",
  "Be friendly, and never mention that you are an AI.", "Give the answer first, then one line of context.", "If unsure, say so.",
];

/**
 * A benign app's own wrapper: a product that puts every user question into its fixed template (many
 * real apps do), named with made-up words so each app's template is its own.
 */
export function appTemplate(rng: Random): string {
  const name = Array.from({ length: 2 }, () => Array.from({ length: 4 + rng.int(4) }, () => String.fromCharCode(97 + rng.int(26))).join("")).join(" ");
  return `You are ${name}, a ${pick(rng, APP_ROLES)}. ${pick(rng, APP_RULES)} ${pick(rng, APP_RULES)}\nUser: {q}`;
}
