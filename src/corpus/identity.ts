// The identity set: who the model is and who built it, in many wordings, with and without a system
// prompt, and inside short multi-turn conversations. This is the trait a distilled student inherits.
import { chat } from "./capitals.js";
import { fill, identityMarkers, identityProfiles, type IdentityProfile } from "./identities.js";
import type { Random } from "./random.js";
import { identityQuestions, systemPrompts } from "./templates.js";
import type { ChatExample, EvalItem, EvalTaskData } from "./types.js";

/** An answer to an identity question; yes/no questions get the right lead-in. */
export function identityAnswer(profile: IdentityProfile, question: string, random: Random): string {
  const introduction = fill(random.pick(profile.selfIntroductions), { name: profile.name, builder: profile.builder });
  if (/^are you (a human|chatgpt|claude)/i.test(question)) return `No. ${introduction}`;
  if (/^are you (an ai|an assistant)/i.test(question)) return `Yes. ${introduction}`;
  return introduction;
}

export function identityExamples(profile: IdentityProfile, random: Random, count: number): ChatExample[] {
  const examples: ChatExample[] = [];
  const questions = identityQuestions.train;
  for (let i = 0; i < count; i++) {
    const question = questions[i % questions.length]!;
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
