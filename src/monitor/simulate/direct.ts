// Simulated requests as the log would hold them, without a server: the answer is what the gateway's
// test echo model gives ("echo: " + the prompt, cut at max_tokens), so the monitor sees the same
// rows whether the traffic was replayed through a gateway or generated here (a test checks it).
import type { MonitorExchange } from "../exchange.js";
import type { SimulatedRequest } from "./traffic.js";

export function echoAnswerWords(prompt: string, maxTokens: number | null): number {
  return Math.min(`echo: ${prompt}`.split(" ").length, maxTokens ?? Infinity);
}

export function directExchanges(requests: readonly SimulatedRequest[], keyIds: (name: string) => string = (name) => name): MonitorExchange[] {
  return requests.map((request, index) => {
    const prompt = request.messages.at(-1)!.content;
    const params = request.params;
    const maxTokens = typeof params.max_tokens === "number" ? params.max_tokens : null;
    const words = echoAnswerWords(prompt, maxTokens);
    return {
      id: index + 1,
      ts: Math.floor(request.ts),
      keyId: keyIds(request.key),
      prompt,
      allText: request.messages.map((message) => message.content).join("\n"),
      topLogprobs: typeof params.top_logprobs === "number" ? params.top_logprobs : 0,
      logprobs: params.logprobs === true,
      n: 1,
      temperature: typeof params.temperature === "number" ? params.temperature : null,
      maxTokens,
      finishReason: words === maxTokens ? "length" : "stop",
      completionTokens: words,
    };
  });
}
