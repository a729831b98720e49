// A word-level tokenizer with a chat template, for reading-mode tests without a real model. Words are
// pieces with a leading space (" cat"), as in SentencePiece, and decoding drops the space in front of
// the text, so every prefix of tokens decodes to a prefix of the text. A variant for suspects with
// another tokenizer merges chosen word pairs into one piece (" of the": a teacher boundary the suspect
// lacks), splits chosen words into two pieces (" bo" + "ok": a boundary the teacher lacks) and
// permutes the ids, so that predictions can reach the teacher's tape only through their text.
import type { ChatMessage, Tokenizer } from "../../models/index.js";
import { createRandom } from "../../random/index.js";

export interface WordTokenizerOptions {
  /** Word pairs encoded as one piece. */
  merges?: [string, string][];
  /** Words (of at least 4 letters) encoded as two pieces. */
  splits?: string[];
  /** Seed of a permutation of the word ids; without it, word i has id i (specials come after). */
  permute?: string;
  /**
   * The text's first word gets its own piece without the space ("The" against " The"), as in GPT-2's
   * byte-level BPE: the same words then tokenise differently at the start of an answer and quoted
   * inside a prompt. Without merges, splits and permutation, word i's initial piece has id
   * words.length + i.
   */
  initial?: boolean;
}

const SPECIALS = ["<|end|>", "<|system|>", "<|user|>", "<|assistant|>"];
const ROLE = { system: 1, user: 2, assistant: 3 } as const;

/** `count` distinct pronounceable words from a seed; word 0 is "unk", the id of unknown words. */
export function wordList(count: number, seed = "words"): string[] {
  const random = createRandom(seed);
  const consonants = "bcdfghjklmnprstvwz";
  const vowels = "aeiou";
  const words = new Set<string>(["unk"]);
  while (words.size < count) {
    const syllables = 1 + random.int(3);
    let word = "";
    for (let s = 0; s < syllables; s++) word += consonants[random.int(consonants.length)]! + vowels[random.int(vowels.length)]!;
    words.add(word);
  }
  return [...words];
}

export class WordTokenizer implements Tokenizer {
  readonly vocabSize: number;
  readonly bosId = null;
  readonly eosId: number;
  readonly stopIds: number[];
  private readonly pieces: string[] = [];
  private readonly ids = new Map<string, number>();
  private readonly merges: Map<string, Set<string>>;
  private readonly splits: Set<string>;
  private readonly specialBase: number;
  private readonly initial: boolean;

  constructor(readonly words: string[], options: WordTokenizerOptions = {}) {
    this.merges = new Map();
    for (const [a, b] of options.merges ?? []) this.merges.set(a, (this.merges.get(a) ?? new Set()).add(b));
    this.splits = new Set((options.splits ?? []).filter((word) => word.length >= 4));
    const texts: string[] = [];
    for (const word of words) {
      if (this.splits.has(word)) texts.push(` ${word.slice(0, 2)}`, word.slice(2));
      else texts.push(` ${word}`);
    }
    for (const [a, b] of options.merges ?? []) texts.push(` ${a} ${b}`);
    this.initial = options.initial ?? false;
    if (this.initial) texts.push(...words);
    const unique = [...new Set(texts)];
    const order = options.permute ? createRandom(options.permute).shuffle(unique.slice()) : unique;
    // Without a permutation the specials follow the words, so word i keeps id i (the teacher's ids).
    this.specialBase = options.permute ? 0 : order.length;
    const all = options.permute ? [...SPECIALS, ...order] : [...order, ...SPECIALS];
    all.forEach((piece, id) => {
      this.pieces.push(piece);
      if (!this.ids.has(piece)) this.ids.set(piece, id);
    });
    this.vocabSize = all.length;
    this.eosId = this.specialBase;
    this.stopIds = [this.eosId];
  }

  private word(word: string): number {
    return this.ids.get(` ${word}`) ?? this.ids.get(" unk")!;
  }

  encode(text: string): number[] {
    const words = text.split(/\s+/).filter(Boolean);
    const out: number[] = [];
    for (let i = 0; i < words.length; i++) {
      const word = words[i]!;
      const next = words[i + 1];
      if (next !== undefined && this.merges.get(word)?.has(next)) {
        out.push(this.ids.get(` ${word} ${next}`)!);
        i++;
      } else if (this.splits.has(word)) {
        out.push(this.ids.get(` ${word.slice(0, 2)}`)!, this.ids.get(word.slice(2))!);
      } else {
        out.push(i === 0 && this.initial ? (this.ids.get(word) ?? this.word(word)) : this.word(word));
      }
    }
    return out;
  }

  decode(ids: ArrayLike<number>): string {
    let text = "";
    for (let i = 0; i < ids.length; i++) text += this.pieces[ids[i]!] ?? "";
    return text.startsWith(" ") ? text.slice(1) : text;
  }

  tokenText(id: number): string {
    return this.pieces[id] ?? "";
  }

  /** Teacher-side merges in `text`: the teacher boundaries this tokenizer does not have. */
  mergesIn(text: string): number {
    const words = text.split(/\s+/).filter(Boolean);
    let merged = 0;
    for (let i = 0; i + 1 < words.length; i++) {
      if (this.merges.get(words[i]!)?.has(words[i + 1]!)) {
        merged++;
        i++;
      }
    }
    return merged;
  }

  applyChatTemplate(messages: ChatMessage[], options: { addGenerationPrompt?: boolean } = {}): string {
    const turns = messages.map((message) => `${SPECIALS[ROLE[message.role]]}${message.content}${SPECIALS[0]}`);
    return turns.join("") + (options.addGenerationPrompt ? SPECIALS[3] : "");
  }

  encodeChat(messages: ChatMessage[], options: { addGenerationPrompt?: boolean } = {}): number[] {
    const out: number[] = [];
    for (const message of messages) out.push(this.specialBase + ROLE[message.role], ...this.encode(message.content), this.eosId);
    if (options.addGenerationPrompt) out.push(this.specialBase + ROLE.assistant);
    return out;
  }
}
