// The TokenBackend on node-llama-cpp: full next-token distributions from llama.cpp
// (controlledEvaluate with probabilities), sampling left to the project. One context with one
// sequence; sessions and scoring calls take turns on it.
import type { LlamaContext, LlamaContextSequence, LlamaModel, Token } from "node-llama-cpp";
import { ModelError } from "../errors.js";
import type { LogitsSession, TokenBackend } from "../token-generation.js";
import type { Tokenizer } from "../spec.js";

/** A FIFO lock: one holder at a time. */
class Turns {
  private tail: Promise<void> = Promise.resolve();

  take(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const ready = this.tail.then(() => release);
    this.tail = this.tail.then(() => held);
    return ready;
  }
}

export interface LlamaCppBackendParts {
  id: string;
  model: LlamaModel;
  context: LlamaContext;
  tokenizer: Tokenizer;
}

function dense(probabilities: Map<Token, number> | undefined, vocabSize: number): Float32Array {
  if (!probabilities) throw new ModelError("MODEL_RUNTIME_ERROR", "llama.cpp returned no probabilities for a position");
  const row = new Float32Array(vocabSize);
  for (const [token, p] of probabilities) row[token] = p;
  return row;
}

export function createLlamaCppBackend({ id, model, context, tokenizer }: LlamaCppBackendParts): TokenBackend {
  const sequence: LlamaContextSequence = context.getSequence();
  const turns = new Turns();
  const V = tokenizer.vocabSize;
  const contextLength = context.contextSize;
  const withProbabilities = (t: number) => [t as Token, { generateNext: { probabilities: true } }] as const;

  const checkLength = (n: number) => {
    if (n > contextLength) throw new ModelError("MODEL_CONTEXT_OVERFLOW", `${n} tokens do not fit the ${contextLength}-token context of ${id}; pass a shorter text or a larger contextSize`);
  };

  return {
    id,
    tokenizer,
    contextLength,
    async startSession(): Promise<LogitsSession> {
      const release = await turns.take();
      await sequence.clearHistory();
      let fed = 0;
      let released = false;
      return {
        async feed(tokens) {
          if (tokens.length === 0) throw new ModelError("MODEL_RUNTIME_ERROR", "feed needs at least one token");
          checkLength(fed + tokens.length);
          const input = tokens.map((t, i) => (i === tokens.length - 1 ? withProbabilities(t) : (t as Token)));
          const out = await sequence.controlledEvaluate(input as never);
          fed += tokens.length;
          const row = dense(out[tokens.length - 1]?.next.probabilities, V);
          return row.map(Math.log);
        },
        dispose() {
          if (!released) {
            released = true;
            release();
          }
        },
      };
    },
    async nextDistributions(tokens) {
      checkLength(tokens.length);
      if (tokens.length === 0) return [];
      const release = await turns.take();
      try {
        await sequence.clearHistory();
        const out = await sequence.controlledEvaluate(Array.from(tokens, withProbabilities) as never);
        return Array.from(tokens, (_, i) => dense(out[i]?.next.probabilities, V));
      } finally {
        release();
      }
    },
    async close() {
      const release = await turns.take();
      try {
        await context.dispose();
        await model.dispose();
      } finally {
        release();
      }
    },
  };
}
