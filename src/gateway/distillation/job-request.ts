// The body of POST /v1/fine_tuning/jobs in OpenAI's shape, validated: hyperparameters are numbers or
// "auto", under `method.supervised` (or the older top-level `hyperparameters`).
import { z } from "zod";
import { badRequest } from "../errors.js";

const auto = z.literal("auto");
const hyperparametersSchema = z.looseObject({
  n_epochs: z.union([auto, z.number().int().min(1).max(50)]).optional(),
  batch_size: z.union([auto, z.number().int().min(1).max(256)]).optional(),
  learning_rate_multiplier: z.union([auto, z.number().positive().max(10)]).optional(),
});

export const jobRequestSchema = z.looseObject({
  model: z.string().min(1),
  training_file: z.string().min(1),
  validation_file: z.string().min(1).nullish(),
  suffix: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "use 1 to 64 letters, digits, '-' or '_'").nullish(),
  seed: z.number().int().min(0).max(2 ** 31 - 1).nullish(),
  hyperparameters: hyperparametersSchema.nullish(),
  method: z.looseObject({
    type: z.literal("supervised"),
    supervised: z.looseObject({ hyperparameters: hyperparametersSchema.nullish() }).nullish(),
  }).nullish(),
  metadata: z.record(z.string().max(64), z.string().max(512)).refine((value) => Object.keys(value).length <= 16, "at most 16 pairs").nullish(),
});

export type JobRequest = z.infer<typeof jobRequestSchema>;
export type HyperparameterInput = z.infer<typeof hyperparametersSchema>;

export function parseJobRequest(raw: unknown): JobRequest {
  const result = jobRequestSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const param = issue.path.map(String).join(".") || null;
    const hint = param === "method.type" ? " (only supervised fine-tuning is offered)" : "";
    throw badRequest("INVALID_REQUEST", `Invalid value for '${param}': ${issue.message}${hint}`, param);
  }
  return result.data;
}

/** OpenAI's defaults for "auto" epochs (cookbook, "Data preparation and analysis for chat model
 * fine-tuning"): 3 epochs, raised so small files reach 100 examples seen, lowered past 25,000. */
export function autoEpochs(examples: number): number {
  if (examples * 3 < 100) return Math.min(25, Math.floor(100 / examples));
  if (examples * 3 > 25_000) return Math.max(1, Math.floor(25_000 / examples));
  return 3;
}

/** OpenAI's "auto" batch size: about 0.2% of the training examples, at most 256 (fine-tuning guide). */
export function autoBatchSize(examples: number): number {
  return Math.min(256, Math.max(1, Math.round(examples * 0.002)));
}
