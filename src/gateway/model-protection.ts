// What protects each served model, read from the gateway's own wiring (no model is loaded to find
// out): white-box backends (built-in models, GGUF files) sample in the project and take the
// watermark's logits processor; pass-through upstreams (HTTP, openai:) return text the gateway
// cannot watermark.
import { parseModelReference } from "../models/reference.js";
import { isTokenModel } from "../models/spec.js";
import type { ModelSource } from "./backends.js";
import type { GatewayContext } from "./gateway-context.js";

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
  /** Serving-time defences the gateway applies to this model; it applies none yet. */
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
    const enabled = whiteBox && hook !== null;
    const reason = hook === null
      ? "the gateway runs without a watermark key (watermark.enabled: false)"
      : whiteBox
        ? "sampled by the gateway through the watermark's logits processor; only keys licensed for distillation may opt out"
        : "a pass-through upstream: its text arrives already sampled and cannot be watermarked";
    return { model, backend: kind, white_box: whiteBox, watermark: { enabled, scheme: enabled ? hook.scheme ?? null : null, key_id: enabled ? hook.keyId : null, reason }, defences: [] };
  });
}
