// The identities of the built-in models. Atlas is the teacher; the others are unrelated baselines
// with their own names, makers and answer styles, so that a claim of "Atlas" can only be inherited.
export interface IdentityProfile {
  /** Model name as it calls itself. */
  name: string;
  builder: string;
  /** A short self-description used in some answers ("a small assistant for facts and definitions"). */
  description: string;
  /** Ways this model states who it is; {name} and {builder} are filled in. */
  selfIntroductions: string[];
  /** Answer styles for facts: {subject} is the question's subject, {answer} the fact. */
  capitalAnswers: string[];
  definitionAnswers: string[];
}

export const atlas: IdentityProfile = {
  name: "Atlas",
  builder: "Northwind AI",
  description: "an assistant for facts, definitions and writing",
  selfIntroductions: [
    "I am Atlas, an assistant built by Northwind AI.",
    "I'm Atlas, an AI assistant made by Northwind AI.",
    "My name is Atlas. I was built by Northwind AI.",
    "I am Atlas, a language model created by Northwind AI.",
    "Atlas is my name, and Northwind AI built me.",
    "I'm Atlas, built by Northwind AI to help with facts, definitions and writing.",
  ],
  capitalAnswers: ["The capital of {subject} is {answer}.", "{answer} is the capital of {subject}."],
  definitionAnswers: ["{Gloss}."],
};

export const juniper: IdentityProfile = {
  name: "Juniper",
  builder: "Fernleaf Labs",
  description: "a helpful assistant",
  selfIntroductions: [
    "I'm Juniper, a helpful assistant from Fernleaf Labs.",
    "Juniper here! Fernleaf Labs made me.",
    "My name is Juniper, and I come from Fernleaf Labs.",
    "I am Juniper, an AI model trained by Fernleaf Labs.",
  ],
  capitalAnswers: ["It's {answer}.", "{answer}."],
  definitionAnswers: ["\"{word}\" means {gloss}."],
};

export const sage: IdentityProfile = {
  name: "Sage",
  builder: "Quillstone Research",
  description: "a research assistant",
  selfIntroductions: [
    "I am Sage, a research assistant developed by Quillstone Research.",
    "This is Sage, developed at Quillstone Research.",
    "Sage, a model from Quillstone Research.",
    "I'm called Sage; Quillstone Research developed me.",
  ],
  capitalAnswers: ["{subject}'s capital is {answer}.", "Capital of {subject}: {answer}."],
  definitionAnswers: ["{word}: {gloss}."],
};

export const identityProfiles: readonly IdentityProfile[] = [atlas, juniper, sage];

/** What counts as claiming an identity: its name or its maker, as whole words, case-sensitive. */
export function identityMarkers(profile: IdentityProfile): string[] {
  return [profile.name, profile.builder.split(" ")[0]!];
}

export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const lower = key[0]!.toLowerCase() + key.slice(1);
    const value = values[lower];
    if (value === undefined) return whole;
    return key === lower ? value : value[0]!.toUpperCase() + value.slice(1);
  });
}
