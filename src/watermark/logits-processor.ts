// The processor shape the sampler chains. Declared here structurally (identical to the engine's
// LogitsProcessor) because this room may not import the engine.
export interface LogitsProcessor {
  /**
   * @param context every token so far (prompt and generated), oldest first
   * @param logits  (V,) next-token logits after temperature, modified in place; -Infinity removes a token
   */
  process(context: ArrayLike<number>, logits: Float32Array): void;
}

/** The one thing detection on text needs from a tokenizer. */
export interface TextEncoder {
  encode(text: string): number[];
}

/** A white-box suspect for reading-mode radioactivity: row i is the distribution of token i + 1. */
export interface NextDistributions {
  nextDistributions(tokens: Int32Array): Promise<Float32Array[]>;
}
