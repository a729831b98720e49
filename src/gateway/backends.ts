// The served models: a name maps to a model reference (resolved once, on first use) or to a ready
// ChatModel. White-box models (TokenModel) can take the watermark's logits processor.
import { resolveModel } from "../models/resolve.js";
import { isTokenModel, type ChatModel } from "../models/spec.js";
import type { ModelEntry } from "./config.js";
import { GatewayError, modelNotFound } from "./errors.js";

export type ModelResolver = (reference: string, options?: { apiKey?: string }) => Promise<ChatModel>;

/** A reference, a reference with the environment variable of its key, or a ready model. */
export type ModelSource = string | ModelEntry | ChatModel;

const isEntry = (source: ModelSource): source is ModelEntry => typeof (source as ModelEntry).reference === "string";

export interface Backend {
  name: string;
  model: ChatModel;
  whiteBox: boolean;
}

export class Backends {
  private readonly loading = new Map<string, Promise<Backend>>();
  private readonly owners = new Map<string, string>();

  private readonly models: Record<string, ModelSource>;

  constructor(
    models: Record<string, ModelSource>,
    private readonly resolve: ModelResolver,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    // A copy: models added while serving (add) never change the caller's map.
    this.models = { ...models };
  }

  names(): string[] {
    return Object.keys(this.models);
  }

  /** What a served name was configured as (a reference, an entry or a ready model). */
  source(name: string): ModelSource | undefined {
    return this.has(name) ? this.models[name] : undefined;
  }

  has(name: string): boolean {
    return Object.hasOwn(this.models, name);
  }

  /** Serves one more model from now on; `owner` (a key id) makes it usable by that key only (fine-tuned models). */
  add(name: string, source: ModelSource, owner: string | null = null): void {
    this.models[name] = source;
    if (owner !== null) this.owners.set(name, owner);
  }

  /** Whether the key may see this model at all: models added with an owner belong to that key alone. */
  usableBy(name: string, keyId: string): boolean {
    const owner = this.owners.get(name);
    return owner === undefined || owner === keyId;
  }

  isOwner(name: string, keyId: string): boolean {
    return this.owners.get(name) === keyId;
  }

  /** The model reference a name was configured with (null for a ready model object). */
  reference(name: string): string | null {
    const entry = this.models[name];
    return typeof entry === "string" ? entry : entry !== undefined && isEntry(entry) ? entry.reference : null;
  }

  get(name: string): Promise<Backend> {
    let backend = this.loading.get(name);
    if (!backend) {
      backend = this.load(name);
      this.loading.set(name, backend);
      // A model that failed to load is tried again on the next request.
      backend.catch(() => this.loading.delete(name));
    }
    return backend;
  }

  private async load(name: string): Promise<Backend> {
    const entry = this.models[name];
    if (entry === undefined) throw modelNotFound(name);
    let model: ChatModel;
    try {
      if (typeof entry === "string") model = await this.resolve(entry);
      else if (isEntry(entry)) model = await this.resolve(entry.reference, { apiKey: entry.api_key_env ? this.env[entry.api_key_env] : undefined });
      else model = entry;
    } catch (error) {
      throw new GatewayError("MODEL_UNAVAILABLE", `model '${name}' could not be loaded: ${(error as Error).message}`, {
        status: 502,
        type: "upstream_error",
        cause: error,
      });
    }
    return { name, model, whiteBox: isTokenModel(model) };
  }

  async close(): Promise<void> {
    const loaded = await Promise.allSettled(this.loading.values());
    for (const result of loaded) {
      // Only models the gateway resolved itself are closed; injected ones belong to the caller.
      const source = result.status === "fulfilled" ? this.models[result.value.name] : undefined;
      if (result.status === "fulfilled" && source !== undefined && (typeof source === "string" || isEntry(source))) await result.value.model.close?.();
    }
  }
}

/**
 * References go to the models room's resolver; HTTP(S) upstreams use the adapter's node:http
 * transport (less work per request than the SDK on the gateway's hot path; bench/gateway.js) with
 * the key from PEDIGREE_API_KEY unless the entry names another. Retries: the gateway's client
 * retries (it sees the upstream's status), so upstream calls retry only `maxRetries` times, which
 * should be 0 (`limits.upstream_retries`) when clients retry, or the attempts multiply.
 */
export function defaultResolver(options: { timeoutMs?: number; maxRetries?: number; env?: NodeJS.ProcessEnv } = {}): ModelResolver {
  return async (reference, keyOptions = {}) => {
    const env = options.env ?? process.env;
    const apiKey = keyOptions.apiKey ?? env.PEDIGREE_API_KEY;
    return resolveModel(reference, { ...options, env, apiKey, maxRetries: options.maxRetries ?? 0, transport: "http" });
  };
}
