// Watermark keys: a scheme, its parameters and a 32-byte secret. The secret lives in a private
// field, so JSON.stringify, console.log and util.inspect never show it; keyId is a public
// fingerprint (first 16 hex digits of SHA-256 of the secret) that is safe to log.
import { createHash, createHmac, randomBytes } from "node:crypto";
import { inspect } from "node:util";
import { WatermarkError } from "./errors.js";
import { normalizeParams } from "./params.js";
import type { ParamsByScheme, SchemeName, SchemeParams } from "./types.js";

export const SECRET_BYTES = 32;

/** Source of key randomness: node:crypto by default; tests pass a seeded generator. */
export type RandomBytes = (length: number) => Uint8Array;

export class WatermarkKey<S extends SchemeName = SchemeName> {
  readonly scheme: S;
  readonly params: ParamsByScheme[S];
  readonly keyId: string;
  /** The model reference whose tokenizer produced the scored token ids, when known. */
  readonly tokenizer: string | null;
  readonly #secret: Uint8Array;

  constructor(scheme: S, params: ParamsByScheme[S], secret: Uint8Array, tokenizer: string | null = null) {
    if (secret.length !== SECRET_BYTES) {
      throw new WatermarkError("WATERMARK_KEY_INVALID", `a watermark secret has ${SECRET_BYTES} bytes, got ${secret.length}; generate a new key`);
    }
    this.scheme = scheme;
    this.params = normalizeParams(scheme, params);
    this.#secret = Uint8Array.from(secret);
    this.keyId = createHash("sha256").update(this.#secret).digest("hex").slice(0, 16);
    this.tokenizer = tokenizer;
  }

  /** A 64-bit PRF subkey (two 32-bit words) for one purpose, by HMAC-SHA256(secret, label). */
  subkey(label: string): [number, number] {
    const digest = createHmac("sha256", this.#secret).update(`pedigree-watermark/v1/${this.scheme}/${label}`).digest();
    return [digest.readUInt32LE(0), digest.readUInt32LE(4)];
  }

  /** The raw secret, for writing a key file. Never log the result. */
  exportSecret(): Uint8Array {
    return Uint8Array.from(this.#secret);
  }

  withTokenizer(tokenizer: string | null): WatermarkKey<S> {
    return new WatermarkKey(this.scheme, this.params, this.#secret, tokenizer);
  }

  toJSON(): { scheme: S; params: SchemeParams; keyId: string; tokenizer: string | null; secret: "[redacted]" } {
    return { scheme: this.scheme, params: this.params, keyId: this.keyId, tokenizer: this.tokenizer, secret: "[redacted]" };
  }

  toString(): string {
    return `WatermarkKey(${this.scheme}, ${this.keyId})`;
  }

  [inspect.custom](): string {
    return `WatermarkKey ${JSON.stringify(this.toJSON())}`;
  }
}

/** A new random key. `random` defaults to node:crypto's randomBytes. */
export function generateKey<S extends SchemeName>(
  scheme: S,
  params: Partial<ParamsByScheme[S]> = {},
  random: RandomBytes = (n) => randomBytes(n),
  tokenizer: string | null = null,
): WatermarkKey<S> {
  return new WatermarkKey(scheme, normalizeParams(scheme, params), random(SECRET_BYTES), tokenizer);
}
