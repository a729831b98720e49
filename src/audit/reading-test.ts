// Radioactivity in reading mode (a provenance test), the open-model setting of Sander et al.,
// "Watermarking makes language models radioactive" (NeurIPS 2024, §4): for a white-box suspect, feed
// it the watermarked answers the gateway served (each after its own prompt, in the suspect's chat
// template) and score its top-1 prediction at every answer position in the context of the text's own
// window. A student that trained on those answers predicts their green continuations; a model that
// never saw text under this key predicts a token that is a function of the text before it only.
// Exactness: a position counts only at the first occurrence of its window in the answer, and never
// when its window occurs in the prompt, by token id or by text (which may quote watermarked text in
// another tokenisation: quoted-windows.ts), so the key's colour of the
// scored (window, prediction) pairs did not shape what the suspect read; the tape scores each pair
// once. No generation is needed: one forward pass per answer.
// Another tokenizer: the answer's teacher tokens give the windows; a teacher position is scored when a
// suspect token boundary falls at the same character, with the suspect's predicted token re-encoded
// by the teacher's tokenizer (its first token). Positions without such a boundary are counted as lost.
import type { ChatMessage, TokenModel } from "../models/index.js";
import { argmax, type Watermark } from "../watermark/index.js";
import { detectionDetail, sequentialDetail } from "./radioactivity-test.js";
import { quotedWindowMask } from "./quoted-windows.js";
import { SequentialEvidence, type StoppingRule } from "./sequential.js";
import { testResult, type AuditTestResult } from "./test-result.js";

export interface ServedText {
  prompt: ChatMessage[];
  answer: string;
}

export interface ReadingInput {
  watermark: Watermark;
  /** The teacher's tokenizer, which the key was used with. */
  encode: (text: string) => ArrayLike<number>;
  decode: (ids: ArrayLike<number>) => string;
  suspect: TokenModel;
  /** The served watermarked answers with their prompts (from the exchange log). */
  texts: ServedText[];
  /** Report how many scored tokens the evidence needed to fall below this p (conservative). */
  target?: number;
  onProgress?: (read: number, total: number) => void;
  /** Score with an e-process too, and stop reading once it reaches the rule's level. */
  sequential?: boolean;
  rule?: StoppingRule;
}

interface Candidates {
  ids: ArrayLike<number>;
  candidates: Int32Array;
  lost: number;
}

export async function readingTest(input: ReadingInput): Promise<AuditTestResult> {
  const target = input.target ?? 1e-6;
  const evidence = input.sequential ? new SequentialEvidence(input.watermark) : null;
  const test = input.watermark.createTest({ firstContextOnly: true, onScore: evidence?.add });
  let stoppedEarly = false;
  const windowText = { tokenText: (id: number) => input.decode([id]), context: (input.watermark.params as { context: number }).context };
  let read = 0;
  let failed = 0;
  let lost = 0;
  let realigned = 0;
  let tokensToTarget: number | null = null;
  let textsToTarget: number | null = null;
  for (const text of input.texts) {
    const aligned = await suspectCandidates(input, text).catch(() => null);
    read++;
    input.onProgress?.(read, input.texts.length);
    if (aligned === null) {
      failed++;
      continue;
    }
    lost += aligned.lost;
    if (aligned.lost > 0 || aligned.candidates.length === 0) realigned++;
    const prompt = input.encode(promptText(text.prompt));
    const quoted = quotedWindowMask(aligned.ids, prompt, windowText);
    for (let i = 0; i < quoted.length; i++) if (quoted[i]) aligned.candidates[i] = -1;
    test.addPredictions(aligned.ids, aligned.candidates, prompt);
    if (tokensToTarget === null) {
      const partial = test.result();
      if (partial.log10_p_conservative < Math.log10(target)) {
        tokensToTarget = partial.scored;
        textsToTarget = read;
      }
    }
    evidence?.record(read);
    if (evidence?.decided(input.rule)) {
      stoppedEarly = true;
      break;
    }
  }
  const result = test.result();
  const notes = [
    result.scored === 0 ? "no position could be scored" : null,
    failed > 0 ? `${failed} answers could not be read (too long for the suspect's context)` : null,
  ].filter(Boolean);
  return testResult({
    name: "radioactivity_reading",
    kind: "provenance",
    statistic: result.statistic,
    logP: evidence ? evidence.combine(result.log10_p_conservative * Math.LN10, stoppedEarly) : result.log10_p_conservative * Math.LN10,
    queries: read,
    note: notes.length > 0 ? notes.join("; ") : null,
    detail: {
      scheme: input.watermark.scheme,
      key_id: input.watermark.keyId,
      setting: "open model (reading mode): the suspect's top-1 predictions on the served answers",
      texts_read: read,
      texts_failed: failed,
      ...detectionDetail(input.watermark, result),
      tokens_lost_to_retokenisation: lost,
      texts_realigned: realigned,
      target_p: target,
      scored_tokens_to_target: tokensToTarget,
      texts_to_target: textsToTarget,
      ...sequentialDetail(evidence, stoppedEarly),
    },
  });
}

function promptText(messages: ChatMessage[]): string {
  return messages.map((message) => message.content).join("\n");
}

/** The suspect's top-1 prediction for every teacher-token position of the answer (−1: not scorable). */
async function suspectCandidates(input: ReadingInput, text: ServedText): Promise<Candidates> {
  const tokenizer = input.suspect.tokenizer;
  const ids = input.encode(text.answer);
  const prompt = tokenizer.encodeChat(text.prompt, { addGenerationPrompt: true });
  const answer = tokenizer.encode(text.answer);
  const rows = await input.suspect.nextDistributions(Int32Array.from([...prompt, ...answer]));
  // Row prompt.length − 1 + k predicts answer token k.
  const prediction = (k: number) => argmax(rows[prompt.length - 1 + k]!);
  const candidates = new Int32Array(ids.length).fill(-1);
  if (sameTokens(ids, answer)) {
    for (let k = 0; k < ids.length; k++) candidates[k] = prediction(k);
    return { ids, candidates, lost: 0 };
  }
  // A boundary is clean when the tokens before it decode to a prefix of the answer (no split character).
  const suspectAt = boundaries(answer, (part) => tokenizer.decode(part), text.answer);
  const teacherAt = boundaries(ids, input.decode, text.answer);
  let lost = 0;
  for (const [offset, i] of teacherAt) {
    if (i >= ids.length) continue;
    const k = suspectAt.get(offset);
    const predicted = k === undefined || k >= answer.length ? "" : tokenizer.tokenText(prediction(k));
    const first = predicted.length > 0 && !predicted.includes("\uFFFD") ? input.encode(predicted)[0] : undefined;
    if (first === undefined) lost++;
    else candidates[i] = first;
  }
  lost += ids.length - [...teacherAt.values()].filter((i) => i < ids.length).length;
  return { ids, candidates, lost };
}

/** Character offset → token index, for every token boundary that falls between whole characters. */
function boundaries(ids: ArrayLike<number>, decode: (ids: ArrayLike<number>) => string, text: string): Map<number, number> {
  const at = new Map<number, number>();
  const list = Array.from(ids);
  for (let k = 0; k <= list.length; k++) {
    const prefix = decode(list.slice(0, k));
    if (text.startsWith(prefix) && !at.has(prefix.length)) at.set(prefix.length, k);
  }
  return at;
}

function sameTokens(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
