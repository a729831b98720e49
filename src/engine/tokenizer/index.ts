// Byte-level BPE with GPT-2 pre-tokenisation, special tokens and the ChatML template.
export { BpeTokenizer, TokenType, type BpeVocabulary } from "./bpe-tokenizer.js";
export { trainBpe, type TrainBpeOptions } from "./train-bpe.js";
export { preTokenize } from "./pre-tokenize.js";
export { byteDecode, byteEncode, byteToChar } from "./byte-unicode.js";
export { chatmlJinja, END_OF_TEXT, IM_END, IM_START, renderChatml, type TemplateMessage } from "./chat-template.js";
export { tokenizerFromGguf, tokenizerMetadata } from "./gguf-tokenizer.js";
