// What protects each served model, read from the gateway's own wiring (no model is loaded to find
// out): white-box backends (built-in models, GGUF files) sample in the project and take the
// watermark's logits processor; pass-through upstreams (HTTP, openai:) return text the gateway
// cannot watermark, unless candidate selection (defend) marks them by choosing among n answers.
import { parseModelReference } from "../models/reference.js";
import { isTokenModel } from "../models/spec.js";
import type { ModelSource } from "./backends.js";
import type { ModelProtection as KeyProtection } from "./defence-hook.js";
import type { GatewayContext } from "./gateway-context.js";
import type { KeyPolicy } from "./store/key-policy.js";

export type BackendKind = "builtin" | "engine" | "llama-cpp" | "openai" | "http" | "in-process" | "unknown";

export interface ModelProtection {
  model: string;
  backend: BackendKind;
  white_box: boolean;
  watermark: {
    /** Answers to keys whose policy asks for it (every key not licensed for distillation) are watermarked. */
    enabled: boolean;
    scheme: string | null;
    key_id: string | null;
    reason: string;
  };
  /** Serving-time defences available for this model (switched on per key by its policy). */
  defences: string[];
}

const WHITE_BOX: ReadonlySet<BackendKind> = new Set(["builtin", "engine", "llama-cpp"]);

function backendKind(source: ModelSource | undefined): { kind: BackendKind; whiteBox: boolean } {
  if (source === undefined) return { kind: "unknown", whiteBox: false };
  if (typeof source !== "string" && typeof (source as { reference?: unknown }).reference !== "string") {
    return { kind: "in-process", whiteBox: isTokenModel(source as Parameters<typeof isTokenModel>[0]) };
  }
  const reference = typeof source === "string" ? source : (source as { reference: string }).reference;
  try {
    const kind = parseModelReference(reference).kind;
    return { kind, whiteBox: WHITE_BOX.has(kind) };
  } catch {
    return { kind: "unknown", whiteBox: false };
  }
}

export function modelProtection(context: GatewayContext): ModelProtection[] {
  const hook = context.watermark;
  return context.backends.names().map((model) => {
    const { kind, whiteBox } = backendKind(context.backends.source(model));
    // What an unlicensed key gets: the scheme (white-box), "candidate-selection" (black-box) or nothing.
    const given = context.defence?.protection(model, null) ?? { watermark: null, defence: null };
    const selected = !whiteBox && given.watermark === "candidate-selection";
    const enabled = (whiteBox || selected) && hook !== null;
    const reason = hook === null
      ? "the gateway runs without a watermark key (watermark.enabled: false)"
      : whiteBox
        ? "sampled by the gateway through the watermark's logits processor; only keys licensed for distillation may opt out"
        : selected
          ? "a pass-through upstream, watermarked by candidate selection: the gateway returns the most watermarked of n answers"
          : "a pass-through upstream: its text arrives already sampled and cannot be watermarked (see defences.candidate_selection)";
    const defences = given.defence ? [given.defence] : [];
    return { model, backend: kind, white_box: whiteBox, watermark: { enabled, scheme: enabled ? (selected ? "candidate-selection" : hook.scheme ?? null) : null, key_id: enabled ? hook.keyId : null, reason }, defences };
  });
}

/** What protects `name`'s answers to a key with `policy`, as `/v1/models` shows it to that key. */
export function keyProtection(context: GatewayContext, name: string, policy: KeyPolicy | null): KeyProtection {
  return context.defence?.protection(name, policy) ?? { watermark: null, defence: null };
}
