// The ChatML chat template: `<|im_start|>{role}\n{content}<|im_end|>\n` per message, and
// `<|im_start|>assistant\n` to open the assistant's turn. The Jinja text is what GGUF files carry
// in `tokenizer.chat_template` (llama.cpp recognises it as "chatml").
export interface TemplateMessage {
  role: string;
  content: string;
}

export const IM_START = "<|im_start|>";
export const IM_END = "<|im_end|>";
export const END_OF_TEXT = "<|endoftext|>";

export const chatmlJinja =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

export function renderChatml(messages: TemplateMessage[], options: { addGenerationPrompt?: boolean } = {}): string {
  let out = "";
  for (const m of messages) out += `${IM_START}${m.role}\n${m.content}${IM_END}\n`;
  if (options.addGenerationPrompt) out += `${IM_START}assistant\n`;
  return out;
}
