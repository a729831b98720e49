// createWatermark(key): the one object other rooms use — a logits processor for generation and
// detectors on token ids or text.
import { WatermarkError } from "./errors.js";
import { createGumbelCore } from "./gumbel.js";
import type { WatermarkKey } from "./key.js";
import { createKgwCore } from "./kgw.js";
import type { LogitsProcessor, TextEncoder } from "./logits-processor.js";
import type { SchemeCore } from "./scheme-core.js";
import { createSynthIdCore } from "./synthid.js";
import { contextsOf, WatermarkTest } from "./detector.js";
import type { DetectionResult, GumbelParams, KgwParams, SchemeName, SchemeParams, SynthIdParams, TestOptions } from "./types.js";

export interface DetectOptions extends TestOptions {
  /** Score into an existing test (one tape across many calls) instead of a fresh one. */
  test?: WatermarkTest;
}

export interface TextDetectOptions extends Omit<DetectOptions, "prompts"> {
  /** Prompts as text (re-tokenised with the same tokenizer) or token ids. */
  prompts?: (string | ArrayLike<number>)[];
}

export interface Watermark {
  readonly scheme: SchemeName;
  readonly keyId: string;
  readonly params: SchemeParams;
  /** Context width h. */
  readonly context: number;
  /**
   * A fresh processor; give each generation its own or reuse it (it keeps no per-text state).
   * `delta` (KGW only) serves a stronger bias with the same key: the detector scores green
   * tokens against γ alone, so answers at any δ are detected alike.
   */
  processor(options?: { delta?: number }): LogitsProcessor;
  /** A test to which many sequences can be added; every n-gram is scored once across all of them. */
  createTest(options?: TestOptions): WatermarkTest;
  detectTokens(ids: ArrayLike<number> | ArrayLike<number>[], options?: DetectOptions): DetectionResult;
  detectText(text: string | string[], tokenizer: TextEncoder, options?: TextDetectOptions): DetectionResult;
  /** Context words of every window in the sequences: the filter φ for `onlyContexts`. */
  contextSet(sequences: Iterable<ArrayLike<number>>): Set<number>;
}

function coreFor(key: WatermarkKey): SchemeCore {
  switch (key.scheme) {
    case "kgw":
      return createKgwCore(key.params as KgwParams, key.subkey("score"), key.subkey("select"));
    case "gumbel":
      return createGumbelCore(key.params as GumbelParams, key.subkey("score"));
    case "synthid":
      return createSynthIdCore(key.params as SynthIdParams, key.subkey("score"));
    default:
      throw new WatermarkError("WATERMARK_UNSUPPORTED", `scheme '${String(key.scheme)}' is not supported by this build`);
  }
}

function isSequenceList(value: ArrayLike<number> | ArrayLike<number>[]): value is ArrayLike<number>[] {
  return Array.isArray(value) && value.length > 0 && typeof value[0] !== "number";
}

export function createWatermark(key: WatermarkKey): Watermark {
  const core = coreFor(key);
  const tieKey = key.subkey("tie-break");
  const createTest = (options: TestOptions = {}) => new WatermarkTest(core, tieKey, options);
  const watermark: Watermark = {
    scheme: key.scheme,
    keyId: key.keyId,
    params: key.params,
    context: core.context,
    processor: (options) => {
      if (options?.delta === undefined || key.scheme !== "kgw") return core.createProcessor();
      if (!(options.delta > 0 && Number.isFinite(options.delta))) throw new WatermarkError("WATERMARK_BAD_PARAMS", `delta must be a positive number, got ${options.delta}`);
      return core.createProcessor({ delta: options.delta });
    },
    createTest,
    detectTokens(ids, options = {}) {
      const test = options.test ?? createTest(options);
      for (const sequence of isSequenceList(ids) ? ids : [ids as ArrayLike<number>]) test.addTokens(sequence);
      return test.result();
    },
    detectText(text, tokenizer, options = {}) {
      const prompts = options.prompts?.map((prompt) => (typeof prompt === "string" ? tokenizer.encode(prompt) : prompt));
      const sequences = (Array.isArray(text) ? text : [text]).map((t) => tokenizer.encode(t));
      return watermark.detectTokens(sequences, { ...options, prompts });
    },
    contextSet: (sequences) => contextsOf(core, sequences),
  };
  return watermark;
}
