// Byte-level BPE tokenizer (GPT-2 scheme) that gives llama.cpp's token ids for tokenizer.ggml.model
// = "gpt2", pre = "gpt-2" (llama-vocab.cpp, llm_tokenizer_bpe_session): special tokens are cut out
// first (longest first), the rest is pre-tokenised, each piece is byte-encoded and its symbols are
// merged, lowest merge rank first (leftmost on ties), until no ranked pair is left.
import { EngineError } from "../errors.js";
import { byteDecode, byteEncode, byteToChar } from "./byte-unicode.js";
import { renderChatml, type TemplateMessage } from "./chat-template.js";
import { preTokenize } from "./pre-tokenize.js";

/** llama.cpp token types (tokenizer.ggml.token_type). */
export const TokenType = { NORMAL: 1, UNKNOWN: 2, CONTROL: 3, USER_DEFINED: 4, UNUSED: 5, BYTE: 6 } as const;

export interface BpeVocabulary {
  /** Token texts in byte-level form (GPT-2 alphabet); special tokens as plain text. */
  tokens: string[];
  /** "left right" pairs, highest priority first. */
  merges: string[];
  /** One per token; CONTROL (3) marks special tokens. Default NORMAL. */
  tokenTypes?: number[];
  eosId: number;
  /** Present when the model prepends a BOS token to every encoding. */
  bosId?: number | null;
  /** Extra ids that end an assistant turn (e.g. <|im_end|>). */
  endOfTurnIds?: number[];
}

const decoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true }); // keep a leading U+FEFF: it is text

export class BpeTokenizer {
  readonly vocabSize: number;
  readonly bosId: number | null;
  readonly eosId: number;
  readonly stopIds: number[];
  private readonly idByText = new Map<string, number>();
  private readonly ranks = new Map<string, number>();
  private readonly byteIds: number[];
  private readonly controlTexts: string[]; // longest first
  private readonly alwaysTexts: string[]; // user-defined tokens: split even without `special`
  private readonly special = new Set<number>();
  private readonly cache = new Map<string, number[]>();

  constructor(readonly vocabulary: BpeVocabulary) {
    const { tokens, merges } = vocabulary;
    this.vocabSize = tokens.length;
    tokens.forEach((t, id) => { if (!this.idByText.has(t)) this.idByText.set(t, id); });
    merges.forEach((m, rank) => {
      const split = m.indexOf(" ", 1);
      if (split > 0 && !this.ranks.has(m)) this.ranks.set(m, rank);
    });
    this.byteIds = byteToChar.map((c) => {
      const id = this.idByText.get(c);
      if (id === undefined) throw new EngineError("TOKENIZER_INVALID", `the vocabulary lacks the byte token "${c}"; a byte-level BPE vocabulary needs all 256`);
      return id;
    });
    const types = vocabulary.tokenTypes ?? [];
    const byType = (type: number) => tokens.filter((_, id) => types[id] === type).sort((a, b) => b.length - a.length);
    this.controlTexts = byType(TokenType.CONTROL);
    this.alwaysTexts = byType(TokenType.USER_DEFINED);
    types.forEach((t, id) => { if (t === TokenType.CONTROL || t === TokenType.USER_DEFINED) this.special.add(id); });
    this.eosId = vocabulary.eosId;
    this.bosId = vocabulary.bosId ?? null;
    this.stopIds = [...new Set([this.eosId, ...(vocabulary.endOfTurnIds ?? [])])];
    for (const id of [this.eosId, this.bosId ?? 0, ...this.stopIds]) {
      if (!(id >= 0 && id < this.vocabSize)) throw new EngineError("TOKENIZER_INVALID", `special token id ${id} is outside the vocabulary of ${this.vocabSize}`);
    }
  }

  /** Token ids of `text`; with `special`, control-token texts such as <|im_end|> become their ids. */
  encode(text: string, options: { special?: boolean } = {}): number[] {
    const out: number[] = this.bosId !== null ? [this.bosId] : [];
    const specials = options.special ? [...this.controlTexts, ...this.alwaysTexts].sort((a, b) => b.length - a.length) : this.alwaysTexts;
    for (const fragment of splitOnSpecials(text, specials)) {
      if (fragment.special) out.push(this.idByText.get(fragment.text)!);
      else for (const piece of preTokenize(fragment.text)) out.push(...this.encodePiece(piece));
    }
    return out;
  }

  private encodePiece(piece: string): number[] {
    const cached = this.cache.get(piece);
    if (cached) return cached;
    const symbols = [...byteEncode(piece)];
    for (;;) {
      let best = -1, bestRank = Infinity;
      for (let i = 0; i + 1 < symbols.length; i++) {
        const rank = this.ranks.get(`${symbols[i]} ${symbols[i + 1]}`);
        if (rank !== undefined && rank < bestRank) { bestRank = rank; best = i; }
      }
      if (best < 0) break;
      symbols.splice(best, 2, symbols[best]! + symbols[best + 1]!);
    }
    const ids: number[] = [];
    for (const s of symbols) {
      const id = this.idByText.get(s);
      if (id !== undefined) ids.push(id);
      else for (const b of byteDecode(s)!) ids.push(this.byteIds[b]!); // merged text not in vocab: fall back to bytes
    }
    if (this.cache.size > 50_000) this.cache.clear();
    this.cache.set(piece, ids);
    return ids;
  }

  /** Text of the ids; special tokens are left out (as llama.cpp's detokenize does by default). */
  decode(ids: ArrayLike<number>, options: { special?: boolean } = {}): string {
    const bytes: number[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const text = this.vocabulary.tokens[id];
      if (text === undefined) throw new EngineError("ENGINE_INVALID_ARGUMENT", `token id ${id} is outside the vocabulary of ${this.vocabSize}`);
      if (this.special.has(id)) {
        if (options.special) bytes.push(...Buffer.from(text, "utf8"));
      } else {
        bytes.push(...(byteDecode(text) ?? Buffer.from(text, "utf8")));
      }
    }
    return decoder.decode(Uint8Array.from(bytes));
  }

  tokenText(id: number): string {
    return this.special.has(id) ? this.vocabulary.tokens[id]! : this.decode([id]);
  }

  isSpecial(id: number): boolean {
    return this.special.has(id);
  }

  idOf(text: string): number | undefined {
    return this.idByText.get(text);
  }

  applyChatTemplate(messages: TemplateMessage[], options: { addGenerationPrompt?: boolean } = {}): string {
    return renderChatml(messages, options);
  }

  encodeChat(messages: TemplateMessage[], options: { addGenerationPrompt?: boolean } = {}): number[] {
    return this.encode(this.applyChatTemplate(messages, options), { special: true });
  }
}

type Fragment = { text: string; special: boolean };

/** llama.cpp's tokenizer_st_partition: cut each special text out of the raw fragments, longest first. */
function splitOnSpecials(text: string, specials: string[]): Fragment[] {
  let fragments: Fragment[] = [{ text, special: false }];
  for (const s of specials) {
    const next: Fragment[] = [];
    for (const f of fragments) {
      if (f.special || !f.text.includes(s)) { next.push(f); continue; }
      const parts = f.text.split(s);
      parts.forEach((p, i) => {
        if (i > 0) next.push({ text: s, special: true });
        if (p) next.push({ text: p, special: false });
      });
    }
    fragments = next;
  }
  return fragments;
}
