// A scripted ChatModel for harvest tests: a deterministic answer from the prompt and the seed,
// optional delay, logprobs on request, scripted failures, and a count of requests in flight.
import { ModelError } from "../../../models/errors.js";
import type { ChatDelta, ChatModel, ChatRequest, ChatResult } from "../../../models/spec.js";

export interface FakeTeacherOptions {
  delayMs?: number;
  /** Called before answering request number n (1-based, in arrival order); may throw. */
  fail?: (call: number, request: ChatRequest) => void;
}

export interface FakeTeacher extends ChatModel {
  requests: ChatRequest[];
  maxInFlight: number;
}

export function answerFor(request: ChatRequest): string {
  const question = request.messages.at(-1)!.content;
  return `Answer to "${question}" with seed ${request.seed}.`;
}

export function createFakeTeacher(options: FakeTeacherOptions = {}): FakeTeacher {
  let inFlight = 0;
  const teacher: FakeTeacher = {
    id: "fake-teacher",
    requests: [],
    maxInFlight: 0,
    async generate(request: ChatRequest): Promise<ChatResult> {
      teacher.requests.push(request);
      const call = teacher.requests.length;
      inFlight++;
      teacher.maxInFlight = Math.max(teacher.maxInFlight, inFlight);
      try {
        if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
        options.fail?.(call, request);
        const text = answerFor(request);
        const words = text.split(" ");
        const result: ChatResult = {
          model: "fake-teacher",
          text,
          finishReason: "stop",
          usage: { promptTokens: 5, completionTokens: words.length, totalTokens: 5 + words.length },
        };
        if (request.topLogprobs) {
          result.logprobs = words.map((word, i) => ({
            token: word,
            logprob: -0.1 * (i + 1),
            id: i,
            top: Array.from({ length: request.topLogprobs! }, (_, k) => ({ token: k === 0 ? word : `alt${k}`, logprob: k === 0 ? -0.1 * (i + 1) : -2 - k, id: k === 0 ? i : 1000 + k })),
          }));
          result.tokenIds = words.map((_, i) => i);
        }
        return result;
      } finally {
        inFlight--;
      }
    },
    async *stream(request: ChatRequest): AsyncIterable<ChatDelta> {
      const result = await teacher.generate(request);
      yield { text: result.text };
      yield { text: "", finishReason: result.finishReason, usage: result.usage };
    },
  };
  return teacher;
}

export function rateLimited(retryAfterSeconds: string): ModelError {
  return new ModelError("MODEL_API_ERROR", "http://fake answered 429: slow down", {
    statusCode: 429,
    cause: { headers: new Headers({ "retry-after": retryAfterSeconds }) },
  });
}
