// The watermark hook: white-box backends generate through the watermark's logits processor with the
// gateway's key. The schemes live in the watermark room; this file only loads the key and adapts it.
import { existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { LogitsProcessor } from "../engine/sampling/logits-processor.js";
import { createWatermark, generateKey, isScheme, readKeyFile, SCHEMES, writeKeyFile, type Watermark } from "../watermark/index.js";
import { configError } from "./config.js";

export interface WatermarkHook {
  /** Public fingerprint of the key, recorded on every watermarked exchange. */
  keyId: string;
  /** The key's scheme (kgw, gumbel, synthid), shown on the admin dashboard. */
  scheme?: string;
  /** A processor for one generation (`delta`: a stronger KGW bias with the same key). */
  processor(options?: { delta?: number }): LogitsProcessor;
  /** The key's detector (candidate selection scores with it) and its tokenizer model. */
  watermark?: Watermark;
  tokenizer?: string | null;
}

/** Loads the gateway's watermark key, creating it (mode 0600) on first start. */
export async function loadWatermarkHook(keyFile: string, scheme: string): Promise<{ hook: WatermarkHook; note?: string }> {
  let note: string | undefined;
  if (!existsSync(keyFile)) {
    if (!isScheme(scheme)) throw configError(`field 'watermark.scheme': unknown scheme '${scheme}' (known: ${SCHEMES.join(", ")})`);
    mkdirSync(dirname(keyFile), { recursive: true, mode: 0o700 });
    await writeKeyFile(keyFile, generateKey(scheme));
    note = `created watermark key ${keyFile} (${scheme})`;
  }
  let warning: string | undefined;
  const key = await readKeyFile(keyFile, { onWarning: (message) => { warning = `warning: ${message}`; } });
  const watermark = createWatermark(key);
  if (warning) note = note ? `${note}\n${warning}` : warning;
  return { hook: { keyId: watermark.keyId, processor: (options) => watermark.processor(options), scheme: watermark.scheme, watermark, tokenizer: key.tokenizer }, note };
}
