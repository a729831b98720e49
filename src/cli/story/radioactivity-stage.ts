// Radioactivity for the story (Sander et al., closed-model setting): a suspect answers prompts; its
// answers, re-tokenised with the teacher's tokenizer, are scored with one de-duplication tape that
// skips every window occurring in the prompts. A small p-value means the suspect's own text carries
// the teacher's watermark, which it can only have learned from watermarked outputs.
import { resolveModel } from "../../models/resolve.js";
import type { Tokenizer } from "../../models/spec.js";
import type { Prompt } from "../../distill/harvest/index.js";
import { radioactivityClosedModel, type DetectionResult, type Watermark } from "../../watermark/index.js";
import type { StoryPlan } from "./plan.js";

/** The detection result of the closed-model test; verdicts use `p_value_conservative`. */
export type RadioactivityFigures = Omit<DetectionResult, "scheme">;

export async function radioactivityOf(reference: string, watermark: Watermark, tokenizer: Tokenizer, prompts: Prompt[], plan: StoryPlan): Promise<RadioactivityFigures> {
  const suspect = await resolveModel(reference);
  const answers: number[][] = [];
  try {
    for (const [index, prompt] of prompts.entries()) {
      const result = await suspect.generate({ messages: prompt.messages, temperature: 1, seed: index, maxTokens: plan.radioactivityMaxTokens });
      answers.push(tokenizer.encode(result.text));
    }
  } finally {
    await suspect.close?.();
  }
  const promptIds = prompts.map((prompt) => tokenizer.encode(prompt.messages.map((message) => message.content).join("\n")));
  const { scheme: _scheme, ...figures } = radioactivityClosedModel(watermark, answers, { prompts: promptIds });
  return figures;
}
