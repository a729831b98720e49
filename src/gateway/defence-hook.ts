// The defence hook: per key, antidistillation sampling on white-box backends (policy `defence`), and
// candidate selection, the watermark of black-box upstreams. Everything is loaded and checked when
// the gateway starts: a defence directory that does not fit its model stops the start, so a defence
// is never half-applied. It also says, per model, what protects it (`/v1/models`, `/admin/models`).
import { AntidistillSampler, checkDefenceFits, createSelectionModel, loadDefence } from "../defend/index.js";
import { parseModelReference, resolveModel, isTokenModel, type ChatModel, type TokenModel } from "../models/index.js";
import type { LogitsProcessor, TextEncoder } from "../watermark/index.js";
import type { Backend, Backends, ModelSource } from "./backends.js";
import { configError } from "./config.js";
import type { DefencesConfig } from "./defence-config.js";
import { servesWatermarked, type KeyPolicy, type KeyRecord } from "./store/key-policy.js";
import type { WatermarkHook } from "./watermark-hook.js";

export interface ModelProtection {
  /** What marks this key's answers: the scheme (white-box), "candidate-selection" (black-box) or null. */
  watermark: string | null;
  defence: "antidistill" | null;
}

export interface DefenceHookOptions {
  config: DefencesConfig;
  sources: Record<string, ModelSource>;
  backends: Backends;
  watermark: WatermarkHook | null;
  /** Resolves the tokenizer model of candidate selection (default: the models room's resolver). */
  resolveTokenizer?: (reference: string) => Promise<ChatModel>;
}

/** White-box by the reference alone (no model is loaded): built-in names and GGUF files. */
function isWhiteBoxSource(source: ModelSource): boolean {
  if (typeof source === "string" || typeof (source as { reference?: unknown }).reference === "string") {
    const reference = typeof source === "string" ? source : (source as { reference: string }).reference;
    return ["builtin", "engine", "llama-cpp"].includes(parseModelReference(reference).kind);
  }
  return isTokenModel(source as ChatModel);
}

export class DefenceHook {
  private constructor(
    private readonly sources: Record<string, ModelSource>,
    private readonly samplers: Map<string, AntidistillSampler>,
    private readonly watermark: WatermarkHook | null,
    private readonly selection: { n: number; chunkTokens: number | null; tokenizer: TextEncoder } | null,
    /** One line per model that is served with less protection than a provider may assume. */
    readonly warnings: string[],
  ) {}

  /** No defence configured: only says what protects each model (the watermark on white-box ones). */
  static basic(sources: Record<string, ModelSource>, watermark: WatermarkHook | null): DefenceHook {
    return new DefenceHook(sources, new Map(), watermark, null, []);
  }

  static async load(options: DefenceHookOptions): Promise<DefenceHook> {
    const { config, sources, backends, watermark } = options;
    const samplers = new Map<string, AntidistillSampler>();
    for (const [name, entry] of Object.entries(config.antidistill)) {
      if (!Object.hasOwn(sources, name)) throw configError(`field 'defences.antidistill.${name}': no served model is called '${name}'`);
      const backend = await backends.get(name);
      if (!backend.whiteBox) throw configError(`field 'defences.antidistill.${name}': antidistillation needs the model's logits, and '${name}' is a black-box upstream`);
      const defence = await loadDefence(entry.directory);
      checkDefenceFits(defence, backend.model as TokenModel);
      samplers.set(name, new AntidistillSampler(defence, { lambda: entry.lambda }));
    }
    const selectionConfig = config.candidate_selection;
    let selection: DefenceHook["selection"] = null;
    if (selectionConfig.enabled) {
      if (!watermark?.watermark) throw configError("field 'defences.candidate_selection': candidate selection scores with the watermark key; enable the watermark");
      const reference = watermark.tokenizer ?? selectionConfig.tokenizer;
      const model = await (options.resolveTokenizer ?? ((ref: string) => resolveModel(ref)))(reference);
      if (!isTokenModel(model)) throw configError(`field 'defences.candidate_selection.tokenizer': '${reference}' has no tokenizer the gateway can use; name a built-in model or a GGUF file`);
      selection = { n: selectionConfig.n, chunkTokens: selectionConfig.chunk_tokens, tokenizer: model.tokenizer };
    }
    const warnings: string[] = [];
    for (const [name, source] of Object.entries(sources)) {
      if (isWhiteBoxSource(source)) continue;
      warnings.push(selection
        ? `note: model '${name}' is a black-box upstream, watermarked by candidate selection among ${selection.n} answers (${selection.n}× its tokens)`
        : `warning: model '${name}' is a black-box upstream: the gateway cannot watermark its answers (enable defences.candidate_selection to watermark them by selection)`);
    }
    return new DefenceHook(sources, samplers, watermark, selection, warnings);
  }

  /** What protects `name`'s answers to a key with `policy` (every unlicensed key when no policy). */
  protection(name: string, policy: KeyPolicy | null = null): ModelProtection {
    const source = this.sources[name];
    const whiteBox = source !== undefined && isWhiteBoxSource(source);
    const marked = this.watermark !== null && (policy === null || servesWatermarked(policy));
    const watermark = !marked ? null : whiteBox ? this.watermark!.scheme ?? "watermark" : this.selection ? "candidate-selection" : null;
    const available = whiteBox && this.samplers.has(name);
    return { watermark, defence: available && (policy === null || policy.defence === "antidistill") ? "antidistill" : null };
  }

  /** Applies the key's defences to one request: processors for white-box, selection for black-box. */
  apply(backend: Backend, key: KeyRecord, chat: { logitsProcessors?: LogitsProcessor[] }, start: { watermarkKeyId: string | null; notes?: string[] }): Backend {
    if (backend.whiteBox) {
      const sampler = key.policy.defence === "antidistill" ? this.samplers.get(backend.name) : undefined;
      if (key.policy.defence === "antidistill") (start.notes ??= []).push(sampler ? `antidistill=${sampler.lambda}` : "antidistill=unavailable");
      // Antidistillation first, the watermark last: the watermark biases the distribution actually sampled.
      if (sampler) chat.logitsProcessors = [sampler.processor(), ...(chat.logitsProcessors ?? [])];
      return backend;
    }
    const watermark = this.watermark?.watermark;
    if (!this.selection || !watermark || !servesWatermarked(key.policy)) return backend;
    start.watermarkKeyId = watermark.keyId;
    const { n, chunkTokens, tokenizer } = this.selection;
    const model = createSelectionModel({
      upstream: backend.model, watermark, tokenizer, n, chunkTokens,
      onSummary: (summary) => (start.notes ??= []).push(`candidates=${summary.minCandidates}/${n}`, `chunks=${summary.chunks}`, `upstream_tokens=${summary.upstreamTokens}`),
    });
    return { ...backend, model };
  }
}
