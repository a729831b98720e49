// The harvested data set: one JSONL row per prompt. `train`, `curate` and `export` read these rows;
// the field names are snake_case like OpenAI's wire format so that files are easy to inspect.
import { z } from "zod";

export const messageSchema = z.object({
  role: z.enum(["system", "user", "assistant"]),
  content: z.string(),
});

export const topLogprobSchema = z.object({
  token: z.string(),
  logprob: z.number(),
  /** Token id, for white-box teachers (what logit-level KD with a shared tokenizer needs). */
  id: z.number().int().optional(),
});

export const tokenLogprobSchema = z.object({
  token: z.string(),
  logprob: z.number(),
  id: z.number().int().optional(),
  /** Best first; a sparse top-k of the teacher's distribution at this position. */
  top: z.array(topLogprobSchema),
});

export const harvestParamsSchema = z.object({
  temperature: z.number().min(0),
  top_p: z.number().gt(0).max(1),
  max_tokens: z.number().int().positive(),
  seed: z.number().int(),
  top_logprobs: z.number().int().min(0),
});

export const usageSchema = z.object({
  prompt_tokens: z.number().int().min(0),
  completion_tokens: z.number().int().min(0),
  total_tokens: z.number().int().min(0),
});

export const harvestRowSchema = z.object({
  id: z.string().min(1),
  prompt_id: z.string().min(1),
  /** The prompt: the conversation the teacher answered (ends with a user turn). */
  messages: z.array(messageSchema).min(1),
  response: z.string(),
  /** The teacher's model reference as given to harvest. */
  teacher: z.string().min(1),
  params: harvestParamsSchema,
  usage: usageSchema,
  finish_reason: z.enum(["stop", "length", "abort", "error"]),
  /** Why the teacher gave no answer, on failed rows (finish_reason "error"): e.g. context_length_exceeded. */
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  logprobs: z.array(tokenLogprobSchema).optional(),
  token_ids: z.array(z.number().int()).optional(),
  /** ISO 8601 time the answer arrived. */
  created: z.string(),
});

export type HarvestMessage = z.infer<typeof messageSchema>;
export type HarvestParams = z.infer<typeof harvestParamsSchema>;
export type HarvestUsage = z.infer<typeof usageSchema>;
export type RowTokenLogprob = z.infer<typeof tokenLogprobSchema>;
export type HarvestRow = z.infer<typeof harvestRowSchema>;
