// The watermark hook: white-box backends generate through the watermark's logits processor with the
// gateway's key. The watermark room provides the scheme; this file only adapts it.
import { existsSync } from "node:fs";
import type { LogitsProcessor } from "../engine/sampling/logits-processor.js";

export interface WatermarkHook {
  /** Recorded on every watermarked exchange. */
  keyId: string;
  /** A fresh processor per generation (processors may keep per-sequence state). */
  processor(): LogitsProcessor;
}

interface WatermarkModule {
  readKeyFile(path: string): unknown;
  generateKey(scheme: string): unknown;
  writeKeyFile(path: string, key: unknown): void;
  createWatermark(key: unknown): WatermarkHook;
}

/**
 * Loads (or on first start creates) the gateway's watermark key. Returns null, with the reason, when
 * the watermark module is not part of this build.
 */
export async function loadWatermarkHook(keyFile: string, scheme: string): Promise<{ hook: WatermarkHook | null; note?: string }> {
  let module: WatermarkModule;
  try {
    const specifier = "../watermark/index.js";
    module = (await import(specifier)) as WatermarkModule;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== "ERR_MODULE_NOT_FOUND") throw error;
    return { hook: null, note: "watermarking is not available in this build; outputs are served unwatermarked" };
  }
  if (typeof module.createWatermark !== "function") return { hook: null, note: "the watermark module has no createWatermark(); outputs are served unwatermarked" };
  let created = false;
  if (!existsSync(keyFile)) {
    await module.writeKeyFile(keyFile, await module.generateKey(scheme));
    created = true;
  }
  const key = await module.readKeyFile(keyFile);
  const watermark = await module.createWatermark(key);
  return { hook: watermark, note: created ? `created watermark key ${keyFile} (${scheme})` : undefined };
}
