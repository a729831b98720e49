// Harvested rows → training examples for the engine: the prompt rendered with the chat template, the
// teacher's answer and the end-of-turn token; the loss counts the answer and the end-of-turn token
// only, plus any earlier assistant turns a chat line trains on (`trainedTurns`). With stored top-k log-probabilities, each answer token also carries the teacher's sparse
// distribution (DistillKit v2 style: top-k plus a tail bucket, which the engine's losses add).
import type { TrainingExample } from "../../engine/train/training-data.js";
import type { Tokenizer } from "../../models/spec.js";
import type { HarvestMessage, RowTokenLogprob } from "../data/row.js";
import type { TrainingRow } from "../data/training-rows.js";

export interface ExampleStats {
  examples: number;
  tokens: number;
  targetTokens: number;
  /** Answer tokens whose teacher top-k came from stored log-probabilities. */
  tokensWithTeacher: number;
  /** Answers re-tokenised because the row's token ids did not fit the student's tokenizer. */
  retokenised: number;
}

export interface ExamplesResult {
  examples: TrainingExample[];
  teacherK: number;
  stats: ExampleStats;
}

export function rowsToExamples(rows: TrainingRow[], tokenizer: Tokenizer, endOfTurnId: number, options: { useLogprobs: boolean }): ExamplesResult {
  const teacherK = options.useLogprobs ? Math.max(0, ...rows.map((row) => Math.max(0, ...(row.logprobs ?? []).map((entry) => entry.top.length)))) : 0;
  const idOfText = teacherK > 0 ? textToIdMap(tokenizer) : new Map<string, number>();
  const stats: ExampleStats = { examples: 0, tokens: 0, targetTokens: 0, tokensWithTeacher: 0, retokenised: 0 };
  const examples = rows.map((row): TrainingExample => {
    const { tokens: prompt, mask: promptMask } = encodePrompt(row, tokenizer, endOfTurnId);
    const storedIds = answerIds(row, tokenizer, idOfText);
    if (!storedIds && row.token_ids) stats.retokenised++;
    const answer = storedIds ?? tokenizer.encode(row.response);
    const tokens = [...prompt, ...answer, endOfTurnId];
    const lossMask = tokens.map((_, i) => (i >= prompt.length ? 1 : promptMask[i]!));
    stats.examples++;
    stats.tokens += tokens.length;
    stats.targetTokens += lossMask.reduce((n: number, m) => n + m, 0);
    if (teacherK === 0) return { tokens, lossMask };
    const ids = new Int32Array(tokens.length * teacherK).fill(-1);
    const logprobs = new Float32Array(tokens.length * teacherK);
    const aligned = storedIds && row.logprobs?.length === answer.length ? row.logprobs : undefined;
    answer.forEach((token, i) => {
      const at = (prompt.length + i) * teacherK;
      if (aligned && fillTopK(ids, logprobs, at, aligned[i]!, idOfText, teacherK)) stats.tokensWithTeacher++;
      else oneHot(ids, logprobs, at, token);
    });
    oneHot(ids, logprobs, (tokens.length - 1) * teacherK, endOfTurnId);
    // Earlier trained turns have no stored distribution: their text is the target, as in SFT.
    promptMask.forEach((target, i) => target && oneHot(ids, logprobs, i * teacherK, tokens[i]!));
    return { tokens, lossMask, teacher: { k: teacherK, ids, logprobs } };
  });
  return { examples, teacherK, stats };
}

/**
 * The prompt rendered with the chat template up to the answer's `<|im_start|>assistant\n`, and which of
 * its tokens are targets: the content and end of turn of each assistant message in `trainedTurns`,
 * cut as at generation (the turn's header, then its text), exactly as the final answer is.
 */
function encodePrompt(row: TrainingRow, tokenizer: Tokenizer, endOfTurnId: number): { tokens: number[]; mask: number[] } {
  const trained = new Set(row.trainedTurns ?? []);
  if (trained.size === 0) {
    const tokens = tokenizer.encodeChat(row.messages, { addGenerationPrompt: true });
    return { tokens, mask: tokens.map(() => 0) };
  }
  const tokens: number[] = [];
  const mask: number[] = [];
  const push = (ids: number[], target: 0 | 1) => {
    tokens.push(...ids);
    for (const _ of ids) mask.push(target);
  };
  let pending: HarvestMessage[] = [];
  row.messages.forEach((message, index) => {
    if (!trained.has(index) || message.role !== "assistant") {
      pending.push(message);
      return;
    }
    push(tokenizer.encodeChat(pending, { addGenerationPrompt: true }), 0);
    pending = [];
    push([...tokenizer.encode(message.content), endOfTurnId], 1);
    push(tokenizer.encode("\n"), 0);
  });
  push(tokenizer.encodeChat(pending, { addGenerationPrompt: true }), 0);
  return { tokens, mask };
}

/**
 * The answer's token ids as the teacher produced them: the row's own ids (white-box teachers), else the
 * ids named by its per-token log-probabilities (API teachers name tokens by text). Undefined when they
 * do not reproduce the answer text exactly, so the answer is re-tokenised and trained as text.
 */
function answerIds(row: TrainingRow, tokenizer: Tokenizer, idOfText: Map<string, number>): number[] | undefined {
  const candidates = row.token_ids ?? row.logprobs?.map((entry) => entry.id ?? idOfText.get(entry.token));
  if (!candidates || candidates.some((id) => id === undefined)) return undefined;
  const ids = candidates as number[];
  return tokenizer.decode(ids) === row.response ? ids : undefined;
}

/** Writes one position's top-k; alternatives the tokenizer cannot name fall into the tail bucket. */
function fillTopK(ids: Int32Array, logprobs: Float32Array, at: number, entry: RowTokenLogprob, idOfText: Map<string, number>, k: number): boolean {
  let slot = 0;
  for (const alt of entry.top) {
    if (slot === k) break;
    const id = alt.id ?? idOfText.get(alt.token);
    if (id === undefined || !Number.isFinite(alt.logprob)) continue;
    ids[at + slot] = id;
    logprobs[at + slot] = alt.logprob;
    slot++;
  }
  return slot > 0;
}

function oneHot(ids: Int32Array, logprobs: Float32Array, at: number, token: number): void {
  ids[at] = token;
  logprobs[at] = 0;
}

/** API teachers name alternatives by text only; map each token text back to an id. */
function textToIdMap(tokenizer: Tokenizer): Map<string, number> {
  const map = new Map<string, number>();
  for (let id = 0; id < tokenizer.vocabSize; id++) {
    const text = tokenizer.tokenText(id);
    if (!map.has(text)) map.set(text, id);
  }
  return map;
}
