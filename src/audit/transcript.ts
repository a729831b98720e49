// The audit's transcript: every question and answer of every model, one JSON object per line, with
// the model, the parameters, the seed and the time. It is also the audit's memory: an audit killed
// with kill -9 resumes from it without asking again what it already asked (a torn last line, the
// only damage a kill can do between two writes, is cut off and asked again).
import { existsSync, readFileSync } from "node:fs";
import { JsonlAppender } from "../files/index.js";
import type { ChatMessage } from "../models/index.js";
import { AuditError } from "./errors.js";

export type Role = "suspect" | "teacher" | "reference";

export interface QueryParams {
  temperature: number;
  max_tokens: number;
  seed: number;
}

export interface TranscriptEntry {
  role: Role;
  model: string;
  test: string;
  item: string;
  messages: ChatMessage[];
  params: QueryParams;
  /** null when every attempt failed; `error` then says why. */
  answer: string | null;
  finish_reason: string | null;
  completion_tokens: number;
  prompt_tokens: number;
  attempts: number;
  error: string | null;
  time: string;
}

export function entryKey(entry: Pick<TranscriptEntry, "model" | "test" | "item" | "params">): string {
  return JSON.stringify([entry.model, entry.test, entry.item, entry.params.temperature, entry.params.max_tokens, entry.params.seed]);
}

export class Transcript {
  private readonly answered = new Map<string, TranscriptEntry>();
  /** Questions whose every attempt failed in an earlier run: not asked again on resume. */
  private readonly failed = new Map<string, TranscriptEntry>();
  /** Answers of other audits' transcripts (same model, question and parameters) that may be reused. */
  private readonly borrowed = new Map<string, TranscriptEntry>();
  private constructor(readonly path: string, entries: TranscriptEntry[], private readonly appender: JsonlAppender) {
    for (const entry of entries) (entry.answer !== null ? this.answered : this.failed).set(entryKey(entry), entry);
  }

  /** Opens (or creates) the transcript; `entries` are the answers kept from an earlier run. Answers in
   *  the `reuse` transcripts are copied in when the same model is asked the same thing. */
  static open(path: string, reuse: string[] = []): Transcript {
    const { entries, validBytes } = readEntries(path);
    const transcript = new Transcript(path, entries, JsonlAppender.open(path, { validBytes }));
    for (const other of reuse) {
      for (const entry of readEntries(other).entries) if (entry.answer !== null) transcript.borrowed.set(entryKey(entry), entry);
    }
    return transcript;
  }

  get resumedAnswers(): number {
    return this.answered.size + this.failed.size;
  }

  /** The answer this transcript holds for `key`, copying it in from a reused transcript if need be. */
  find(key: string, role?: Role): TranscriptEntry | undefined {
    const own = this.answered.get(key) ?? this.failed.get(key);
    if (own) return own;
    const borrowed = this.borrowed.get(key);
    if (!borrowed) return undefined;
    const copy = { ...borrowed, role: role ?? borrowed.role };
    this.append(copy);
    return copy;
  }

  append(entry: TranscriptEntry): void {
    this.appender.append(entry);
    (entry.answer !== null ? this.answered : this.failed).set(entryKey(entry), entry);
  }

  close(): void {
    this.appender.close();
  }
}

function readEntries(path: string): { entries: TranscriptEntry[]; validBytes: number } {
  const entries: TranscriptEntry[] = [];
  let validBytes = 0;
  if (!existsSync(path)) return { entries, validBytes };
  const text = readFileSync(path);
  let start = 0;
  for (let end = text.indexOf(10); end !== -1; end = text.indexOf(10, start)) {
    const line = text.subarray(start, end).toString("utf8");
    try {
      entries.push(JSON.parse(line) as TranscriptEntry);
    } catch (error) {
      throw new AuditError("AUDIT_TRANSCRIPT_INVALID", `${path} line ${entries.length + 1} is not JSON; move the file away to start a new audit`, { cause: error });
    }
    start = end + 1;
    validBytes = start;
  }
  return { entries, validBytes };
}
