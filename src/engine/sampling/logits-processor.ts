// A logits processor rewrites next-token logits in place before sampling
// (transformers.js LogitsProcessor style). Watermarks are processors; they are chained in order.
export interface LogitsProcessor {
  /**
   * @param context every token so far (prompt and generated), oldest first
   * @param logits  (V,) next-token logits after temperature, modified in place; -Infinity removes a token
   */
  process(context: ArrayLike<number>, logits: Float32Array): void;
}
