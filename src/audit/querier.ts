// Asking a model during an audit: answers come from the transcript when it holds them; otherwise the
// model is asked, retried on timeouts, 429, 5xx and empty answers with exponential backoff (as
// harvest does), and the exchange is written to the transcript. A failure is recorded and left out
// of every test, never scored as a disagreement. `budget` caps the queries per model.
import { isTokenModel, ModelError, type ChatMessage, type ChatModel } from "../models/index.js";
import { entryKey, type QueryParams, type Role, type Transcript } from "./transcript.js";

export interface QuerySlot {
  role: Role;
  /** The model reference as given on the command line. */
  reference: string;
  model: ChatModel;
}

export interface Question {
  test: string;
  item: string;
  messages: ChatMessage[];
  params: QueryParams;
}

export interface QuerierOptions {
  transcript: Transcript;
  /** Queries per model (answers from the transcript count: they were spent once). */
  budget: number;
  attempts?: number;
  backoffMs?: number;
  concurrency?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
  onQuery?: (slot: QuerySlot, spent: number) => void;
}

export interface QueryTally {
  queries: number;
  failed: number;
  prompt_tokens: number;
  completion_tokens: number;
  budget_exhausted: boolean;
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class Querier {
  readonly tallies = new Map<string, QueryTally>();

  constructor(private readonly options: QuerierOptions) {}

  tally(reference: string): QueryTally {
    let tally = this.tallies.get(reference);
    if (!tally) {
      tally = { queries: 0, failed: 0, prompt_tokens: 0, completion_tokens: 0, budget_exhausted: false };
      this.tallies.set(reference, tally);
    }
    return tally;
  }

  /** Takes up to `count` queries of the slot's budget for work outside the transcript (reading mode); returns how many. */
  reserve(slot: QuerySlot, count: number): number {
    const tally = this.tally(slot.reference);
    const granted = Math.max(0, Math.min(count, this.options.budget - tally.queries));
    tally.queries += granted;
    if (granted < count) tally.budget_exhausted = true;
    return granted;
  }

  /** Answers by item id; items the budget did not reach or that failed are absent. */
  async askAll(slot: QuerySlot, questions: Question[]): Promise<Map<string, string>> {
    const answers = new Map<string, string>();
    let next = 0;
    const worker = async () => {
      while (next < questions.length) {
        const question = questions[next++]!;
        const answer = await this.ask(slot, question);
        if (answer !== null) answers.set(question.item, answer);
      }
    };
    const workers = Math.max(1, Math.min(this.options.concurrency ?? 1, questions.length));
    await Promise.all(Array.from({ length: workers }, worker));
    return answers;
  }

  async ask(slot: QuerySlot, question: Question): Promise<string | null> {
    const tally = this.tally(slot.reference);
    const key = entryKey({ model: slot.reference, ...question });
    if (tally.queries >= this.options.budget) {
      tally.budget_exhausted = true;
      return null;
    }
    const known = this.options.transcript.find(key, slot.role);
    tally.queries += 1;
    if (known) {
      // Asked before (answered, or failed after every attempt): never asked again.
      tally.prompt_tokens += known.prompt_tokens;
      tally.completion_tokens += known.completion_tokens;
      if (known.answer === null) tally.failed += 1;
      return known.answer;
    }
    const attempts = this.options.attempts ?? 4;
    const sleep = this.options.sleep ?? delay;
    let lastError = "";
    let attemptsMade = attempts;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const result = await slot.model.generate({
          messages: question.messages,
          temperature: question.params.temperature,
          maxTokens: question.params.max_tokens,
          seed: question.params.seed,
        });
        if (result.text.trim().length === 0) {
          lastError = "empty answer";
          // A white-box model samples here with a fixed seed: asking again gives the same answer.
          if (isTokenModel(slot.model)) {
            attemptsMade = attempt;
            break;
          }
        } else {
          tally.prompt_tokens += result.usage.promptTokens;
          tally.completion_tokens += result.usage.completionTokens;
          this.record(slot, question, { answer: result.text, finish_reason: result.finishReason, prompt_tokens: result.usage.promptTokens, completion_tokens: result.usage.completionTokens, attempts: attempt, error: null });
          this.options.onQuery?.(slot, tally.queries);
          return result.text;
        }
      } catch (error) {
        const retryable = ModelError.isInstance(error) ? error.isRetryable : false;
        lastError = error instanceof Error ? error.message : String(error);
        if (!retryable) {
          attemptsMade = attempt;
          break;
        }
      }
      if (attempt < attempts) await sleep((this.options.backoffMs ?? 500) * 2 ** (attempt - 1));
    }
    tally.failed += 1;
    this.record(slot, question, { answer: null, finish_reason: "error", prompt_tokens: 0, completion_tokens: 0, attempts: attemptsMade, error: lastError });
    this.options.onQuery?.(slot, tally.queries);
    return null;
  }

  private record(slot: QuerySlot, question: Question, outcome: { answer: string | null; finish_reason: string | null; prompt_tokens: number; completion_tokens: number; attempts: number; error: string | null }): void {
    this.options.transcript.append({
      role: slot.role,
      model: slot.reference,
      test: question.test,
      item: question.item,
      messages: question.messages,
      params: question.params,
      ...outcome,
      time: (this.options.now?.() ?? new Date()).toISOString(),
    });
  }
}
