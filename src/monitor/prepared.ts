// Per-exchange work done once: the embedding's topic, template band keys and the flags the window
// features count. Windows (prefixes, key-days, clusters) then only count.
import type { MonitorExchange } from "./exchange.js";
import { bandKeys, elicits, embed, frameKey, wordHashes, words } from "./text-features.js";
import type { Topics } from "./topics.js";

export interface PreparedExchange {
  exchange: MonitorExchange;
  topic: number;
  bands: number[];
  /** The frame key among `bands` (the prompt's opening words), or null. */
  frame: number | null;
  /** Hash of the prompt text: collisions count only between different prompts (templates, not repeats). */
  textHash: string;
  elicitation: boolean;
}

const scratch = new Float32Array(256);

export function prepareExchange(exchange: MonitorExchange, topics: Topics): PreparedExchange {
  const text = exchange.prompt;
  const tokens = words(text);
  const hashes = wordHashes(tokens);
  const frame = frameKey(hashes);
  return {
    exchange,
    topic: topics.nearest(embed(text, scratch, tokens, hashes)),
    bands: bandKeys(text, hashes, frame),
    frame,
    textHash: text.length > 64 ? `${text.length}:${text.slice(0, 32)}${text.slice(-32)}` : text,
    elicitation: elicits(exchange.allText),
  };
}
