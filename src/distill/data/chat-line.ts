// Chat lines: one {"messages": [...]} conversation per line, the format OpenAI fine-tuning files use
// (what `export --format openai-jsonl` writes) and the corpus builders write. An assistant message with
// "weight": 0 is shown to the model but not trained on; every other assistant message is trained on,
// as in OpenAI's fine-tuning.
import { z } from "zod";

export const chatLineMessageSchema = z.object({
  role: z.enum(["system", "user", "assistant"]),
  content: z.string(),
  weight: z.union([z.literal(0), z.literal(1)]).optional(),
});

export const chatLineSchema = z
  .object({ messages: z.array(chatLineMessageSchema).min(1), id: z.string().optional() })
  .superRefine((line, context) => {
    line.messages.forEach((message, index) => {
      if (message.weight !== undefined && message.role !== "assistant") {
        context.addIssue({ code: "custom", message: "only assistant messages carry a weight", path: ["messages", index, "weight"] });
      }
    });
    if (!line.messages.some((message) => message.role === "assistant" && message.weight !== 0)) {
      context.addIssue({ code: "custom", message: "no assistant message to train on (add one, or give one weight 1)", path: ["messages"] });
    }
  });

export type ChatLine = z.infer<typeof chatLineSchema>;
