// Replays simulated requests through a running gateway with the official openai client, one at a
// time in time order; before each request `setClock` moves the gateway's clock to the simulated
// time, so the log's timestamps are the simulation's.
import OpenAI from "openai";
import { MonitorError } from "../errors.js";
import type { SimulatedRequest } from "./traffic.js";

export interface ReplayOptions {
  baseURL: string;
  model: string;
  /** Secret of each simulated key. */
  secrets: ReadonlyMap<string, string>;
  setClock(ms: number): void;
  onProgress?(done: number, total: number): void;
}

export interface ReplaySummary {
  sent: number;
  /** Requests the gateway refused (a throttled or suspended key, a limit). */
  refused: number;
}

export async function replayThroughGateway(requests: readonly SimulatedRequest[], options: ReplayOptions): Promise<ReplaySummary> {
  const clients = new Map<string, OpenAI>();
  const client = (key: string) => {
    let found = clients.get(key);
    if (!found) {
      const secret = options.secrets.get(key);
      if (!secret) throw new MonitorError("MONITOR_REPLAY_FAILED", `no secret for simulated key '${key}'`);
      clients.set(key, (found = new OpenAI({ apiKey: secret, baseURL: options.baseURL, maxRetries: 0, timeout: 30_000 })));
    }
    return found;
  };
  let refused = 0;
  for (const [index, request] of requests.entries()) {
    options.setClock(Math.floor(request.ts));
    try {
      await client(request.key).chat.completions.create({ model: options.model, messages: request.messages, ...request.params } as OpenAI.ChatCompletionCreateParamsNonStreaming);
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status !== 429 && status !== 403) throw new MonitorError("MONITOR_REPLAY_FAILED", `the gateway failed request ${index + 1} of ${requests.length}: ${(error as Error).message}`, { cause: error });
      refused++;
    }
    options.onProgress?.(index + 1, requests.length);
  }
  return { sent: requests.length, refused };
}
