// Byte-level BPE training (Sennrich et al. 2016; GPT-2's byte-level variant). Deterministic: the
// most frequent adjacent pair is merged first, ties broken by the smaller (left id, right id).
// Pair counts are updated incrementally, only in the words that contain the merged pair, and the
// best pair comes from a max-heap with stale entries skipped.
import { EngineError } from "../errors.js";
import { byteToChar } from "./byte-unicode.js";
import { BpeTokenizer, TokenType } from "./bpe-tokenizer.js";
import { END_OF_TEXT, IM_END, IM_START } from "./chat-template.js";
import { preTokenize } from "./pre-tokenize.js";
import { PairHeap } from "./pair-heap.js";

export interface TrainBpeOptions {
  /** Total vocabulary: 256 byte tokens + merges + special tokens. */
  vocabSize: number;
  /** Special tokens appended after the merges. Default: <|endoftext|> (eos), <|im_start|>, <|im_end|>. */
  specialTokens?: string[];
  /** Pairs seen fewer times are never merged. Default 2. */
  minFrequency?: number;
}

const encoder = new TextEncoder();
const KEY = 2 ** 21; // pair key = left · KEY + right (vocabularies below 2M tokens)

interface Word { ids: number[]; count: number }

function countWords(texts: Iterable<string>, specials: string[]): Word[] {
  const counts = new Map<string, number>();
  for (const text of texts) {
    let parts = [text];
    for (const s of specials) parts = parts.flatMap((p) => p.split(s));
    for (const part of parts) for (const piece of preTokenize(part)) counts.set(piece, (counts.get(piece) ?? 0) + 1);
  }
  // Sorted so the word order (and so every later step) does not depend on input order quirks.
  return [...counts.keys()].sort().map((piece) => ({ ids: Array.from(encoder.encode(piece)), count: counts.get(piece)! }));
}

export function trainBpe(texts: Iterable<string>, options: TrainBpeOptions): BpeTokenizer {
  const specials = options.specialTokens ?? [END_OF_TEXT, IM_START, IM_END];
  const minFrequency = options.minFrequency ?? 2;
  const mergeBudget = options.vocabSize - 256 - specials.length;
  if (mergeBudget < 0) throw new EngineError("ENGINE_INVALID_ARGUMENT", `vocabSize ${options.vocabSize} is below 256 bytes + ${specials.length} special tokens`);
  const tokens = [...byteToChar];
  const idByText = new Map(tokens.map((t, i) => [t, i]));
  const merges: string[] = [];
  const words = countWords(texts, specials);

  const pairCount = new Map<number, number>();
  const pairWords = new Map<number, Set<number>>();
  const heap = new PairHeap();
  const touched = new Set<number>();
  const addPairs = (w: number, sign: 1 | -1) => {
    const { ids, count } = words[w]!;
    for (let i = 0; i + 1 < ids.length; i++) {
      const key = ids[i]! * KEY + ids[i + 1]!;
      pairCount.set(key, (pairCount.get(key) ?? 0) + sign * count);
      touched.add(key);
      if (sign > 0) {
        let set = pairWords.get(key);
        if (!set) pairWords.set(key, (set = new Set()));
        set.add(w);
      }
    }
  };
  const flush = () => {
    for (const key of touched) heap.push(pairCount.get(key)!, key);
    touched.clear();
  };
  words.forEach((_, w) => addPairs(w, 1));
  flush();

  while (merges.length < mergeBudget) {
    const best = heap.popValid(pairCount);
    if (!best || best.count < minFrequency) break;
    const left = Math.floor(best.key / KEY), right = best.key % KEY;
    const text = tokens[left]! + tokens[right]!;
    let id = idByText.get(text);
    if (id === undefined) {
      id = tokens.length;
      tokens.push(text);
      idByText.set(text, id);
    }
    merges.push(`${tokens[left]} ${tokens[right]}`);
    for (const w of pairWords.get(best.key) ?? []) {
      const ids = words[w]!.ids;
      if (!ids.some((x, i) => x === left && ids[i + 1] === right)) continue;
      addPairs(w, -1);
      const merged: number[] = [];
      for (let i = 0; i < ids.length; i++) {
        if (ids[i] === left && ids[i + 1] === right) { merged.push(id); i++; } else merged.push(ids[i]!);
      }
      words[w]!.ids = merged;
      addPairs(w, 1);
    }
    pairWords.delete(best.key);
    flush();
  }

  const tokenTypes = tokens.map(() => TokenType.NORMAL as number);
  for (const s of specials) {
    tokens.push(s);
    tokenTypes.push(TokenType.CONTROL);
  }
  const idOf = (s: string) => (specials.includes(s) ? tokens.lastIndexOf(s) : undefined);
  const eosId = idOf(END_OF_TEXT) ?? tokens.length - specials.length;
  const imEnd = idOf(IM_END);
  return new BpeTokenizer({ tokens, merges, tokenTypes, eosId, bosId: null, endOfTurnIds: imEnd === undefined ? [] : [imEnd] });
}
