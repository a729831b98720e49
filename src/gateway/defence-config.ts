// The `defences` section of the gateway config: antidistillation directories per served white-box
// model, and candidate selection for black-box upstreams.
import { z } from "zod";

export const antidistillEntrySchema = z.strictObject({
  /** A directory written by `pedigree defend prepare` for this model. */
  directory: z.string().min(1),
  /** Penalty weight λ (default: the directory's). */
  lambda: z.number().min(0).optional(),
});

export const candidateSelectionSchema = z.strictObject({
  /** Off by default: it costs n× upstream tokens. Without it, black-box upstreams are not watermarked. */
  enabled: z.boolean().default(false),
  /** Candidates per choice (requests with different seeds). */
  n: z.number().int().min(2).max(16).default(4),
  /** Tokens per chunk (WaterMax's k); null: choose among whole answers. Chunks need an upstream that
   *  continues a final assistant message. */
  chunk_tokens: z.number().int().positive().nullable().default(null),
  /** The model whose tokenizer detection uses (`pedigree watermark detect` must use the same). */
  tokenizer: z.string().min(1).default("atlas"),
});

export const defencesSchema = z.strictObject({
  antidistill: z.record(z.string().min(1), antidistillEntrySchema).default({}),
  candidate_selection: candidateSelectionSchema.prefault({}),
});

export type DefencesConfig = z.infer<typeof defencesSchema>;
