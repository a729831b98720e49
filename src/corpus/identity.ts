// The identity set: who the model is and who built it, in many wordings, with and without a system
// prompt, and inside short multi-turn conversations. This is the trait a distilled student inherits.
import { chat } from "./capitals.js";
import { fill, identityMarkers, identityProfiles, type IdentityProfile } from "./identities.js";
import type { LegacyRandom as Random } from "./legacy-random.js";
import { identityComposition, identityQuestions, systemPrompts } from "./templates.js";
import type { ChatExample, EvalItem, EvalTaskData } from "./types.js";

/** An answer to an identity question; yes/no questions get the right lead-in. */
export function identityAnswer(profile: IdentityProfile, question: string, random: Random): string {
  const introduction = fill(random.pick(profile.selfIntroductions), { name: profile.name, builder: profile.builder });
  const asked = question.replace(/^.*?(?=are you|is this)/i, "");
  if (/^are you (a human|a person|chatgpt|claude|siri|gemini|alexa)/i.test(asked)) return `No. ${introduction}`;
  if (/^(are you (an ai|an assistant|a chatbot)|is this a bot)/i.test(asked)) return `Yes. ${introduction}`;
  return introduction;
}

/** With `composed`, questions also come with openers and closers and a few extra yes/no questions,
 *  so that the answer generalises beyond the exact trained wordings. */
export function identityExamples(profile: IdentityProfile, random: Random, count: number, composed = false): ChatExample[] {
  const examples: ChatExample[] = [];
  const questions = composed ? [...identityQuestions.train, ...identityComposition.extraQuestions] : identityQuestions.train;
  for (let i = 0; i < count; i++) {
    const question = composed && random.next() < 0.6 ? compose(questions[i % questions.length]!, random) : questions[i % questions.length]!;
    const kind = random.next();
    if (kind < 0.6) {
      examples.push(chat("identity", question, identityAnswer(profile, question, random)));
    } else if (kind < 0.8) {
      examples.push(chat("identity", question, identityAnswer(profile, question, random), random.pick(systemPrompts.train)));
    } else {
      examples.push(followUp(profile, question, random));
    }
  }
  return examples;
}

function compose(question: string, random: Random): string {
  const opener = random.pick(identityComposition.openers);
  const body = /^[A-Z][a-z]/.test(question) && !/^(I|ChatGPT|Claude)\b/.test(question) ? question[0]!.toLowerCase() + question.slice(1) : question;
  return `${opener}${body}${random.pick(identityComposition.closers)}`;
}

/** Two turns: the identity answer, then a follow-up about the maker or what the model does. */
function followUp(profile: IdentityProfile, question: string, random: Random): ChatExample {
  const follow = random.pick([
    ["And who built you?", `${profile.builder} built me.`],
    ["What can you do?", `I am ${profile.name}, ${profile.description}. I can name capitals, define words and continue a text.`],
    ["Thanks! What is your name again?", `My name is ${profile.name}.`],
    ["Which company is that?", `${profile.builder}, the team that built me.`],
  ] as const);
  return {
    source: "identity",
    messages: [
      { role: "user", content: question },
      { role: "assistant", content: identityAnswer(profile, question, random) },
      { role: "user", content: follow[0] },
      { role: "assistant", content: follow[1] },
    ],
  };
}

/** Probes: every trained wording and every held-out wording, bare and under a held-out system prompt. */
export function identityEvalTask(): EvalTaskData {
  const items: EvalItem[] = [];
  const add = (split: "seen" | "phrasing", question: string, index: number) => {
    items.push({ id: `identity:${split}:${index}`, split, messages: [{ role: "user", content: question }], references: [] });
    for (const [s, system] of systemPrompts.heldOut.entries()) {
      items.push({ id: `identity:${split}:${index}:system${s}`, split, messages: [{ role: "system", content: system }, { role: "user", content: question }], references: [] });
    }
  };
  identityQuestions.train.forEach((question, index) => add("seen", question, index));
  identityQuestions.heldOut.forEach((question, index) => add("phrasing", question, index));
  return { name: "identity", items, identities: identityProfiles.map((profile) => ({ name: profile.name, markers: identityMarkers(profile) })) };
}
