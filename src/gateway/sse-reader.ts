// The SSE reader lives with the OpenAI-compatible adapter that uses it.
export { SseLineReader } from "../models/openai-compatible/sse-reader.js";
