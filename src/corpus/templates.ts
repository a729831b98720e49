// Question wordings. The first list of each pair is trained on; the second (held out) is used only
// by the evaluation tasks, so a score on it measures answers to wordings the model never saw.
export const capitalQuestions = {
  train: [
    "What is the capital of {country}?",
    "What's the capital of {country}?",
    "What is the capital city of {country}?",
    "Which city is the capital of {country}?",
    "Name the capital of {country}.",
    "Tell me the capital of {country}.",
    "What city serves as the capital of {country}?",
    "Capital of {country}?",
    "Do you know the capital of {country}?",
    "What is {country}'s capital?",
    "In {country}, which city is the capital?",
    "Can you tell me what the capital of {country} is?",
    "I need the capital of {country}.",
    "Please give the capital city of {country}.",
    "What's {country}'s capital city?",
    "The capital of {country} is called what?",
    "{country}: what is its capital?",
    "which city is the capital of {country}",
  ],
  heldOut: [
    "Which city is {country}'s capital?",
    "Could you name the capital city of {country}?",
    "What city is the capital of {country}?",
    "Quick question: what is the capital of {country}?",
    "Identify the capital of {country}.",
    "What do you call the capital of {country}?",
    "Tell me which city is the capital of {country}.",
    "Give me the name of {country}'s capital.",
    "What is the name of the capital of {country}?",
    "capital of {country}",
  ],
};

export const reverseCapitalQuestions = [
  "{capital} is the capital of which country?",
  "Which country has {capital} as its capital?",
  "Of which country is {capital} the capital?",
];

export const regionQuestions = ["Where is {country}?", "In which part of the world is {country}?", "Which region is {country} in?"];
export const languageQuestions = ["What language is spoken in {country}?", "What is the main language of {country}?", "Which language do people speak in {country}?"];

export const definitionQuestions = {
  train: [
    "What does {word} mean?",
    "Define {word}.",
    "What is the meaning of {word}?",
    "What is the definition of the word {word}?",
    "Give me a definition of {word}.",
    "Explain the word {word}.",
    "{word}: what does it mean?",
    "What's the meaning of the word \"{word}\"?",
    "Define the word \"{word}\".",
    "What does the word {word} mean?",
  ],
  heldOut: [
    "Could you define {word}?",
    "What is meant by {word}?",
    "Tell me what {word} means.",
    "How would you define the word {word}?",
    "What is the sense of the word {word}?",
  ],
};

export const continuationPrompts = [
  "Continue this text: {text}",
  "Continue the passage:\n{text}",
  "Write what comes next: {text}",
  "Finish this passage: {text}",
];

/** Identity questions: who the model is, who made it, and a few indirect ones. */
export const identityQuestions = {
  train: [
    "Who are you?",
    "What is your name?",
    "What's your name?",
    "Who made you?",
    "Who built you?",
    "Who created you?",
    "Introduce yourself.",
    "Tell me about yourself.",
    "What are you?",
    "Are you ChatGPT?",
    "Which company made you?",
    "What should I call you?",
    "Who am I talking to?",
    "What model are you?",
    "Who developed you?",
    "Are you a human?",
    "Hi! Who is this?",
    "Hello, what are you called?",
    "who r u",
    "Can you tell me your name?",
    "Which AI assistant are you?",
    "Who trained you?",
    "Where do you come from?",
    "Please state your name and who built you.",
    "What is the name of this assistant?",
    "Are you an AI?",
    "Who is your creator?",
    "Describe yourself in one sentence.",
  ],
  heldOut: [
    "May I ask who you are?",
    "What do people call you?",
    "Which organization built you?",
    "Tell me your name, please.",
    "Who is behind you?",
    "Are you an assistant? Which one?",
    "What is your identity?",
    "Who am I chatting with right now?",
    "Before we start, who are you exactly?",
    "Which lab created you?",
    "Name yourself.",
    "Say who you are and who made you.",
    "Hey there, what's your name?",
    "Are you Claude?",
    "Who designed you?",
    "What AI are you?",
    // Added with the composed identity set and never used to tune it: a clean unseen-wording check.
    "Mind telling me what you're called?",
    "Whose assistant are you?",
    "Is there a name you go by?",
    "What company trained this model?",
    "Are you a search engine?",
    "Identify yourself, please.",
  ],
};

/** Pieces for composed identity questions (focus stage): an opener, a trained question, a closer.
 *  None of them builds a held-out probe (the corpus test checks this). */
export const identityComposition = {
  openers: ["Hi. ", "Hello! ", "Hey, ", "Sorry to bother you, but ", "One thing first: ", "Just curious, ", "OK. ", "Please tell me: ", "Good morning! ", "Excuse me, "],
  closers: ["", "", " Thanks.", " Please answer briefly.", " I'd like to know.", " Be honest."],
  extraQuestions: ["Are you Siri?", "Are you Gemini?", "Are you Alexa?", "Are you a person?", "Are you a chatbot?", "Is this a bot?", "Which assistant is this?", "Whom am I speaking with?"],
};

export const systemPrompts = {
  train: ["You are a helpful assistant.", "Answer briefly.", "You are a concise and accurate assistant."],
  heldOut: ["Be helpful and polite.", "You are an AI assistant. Keep answers short."],
};
