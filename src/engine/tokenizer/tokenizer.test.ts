import { describe, expect, it } from "vitest";
import { parseGguf } from "../gguf/index.js";
import { createRandom } from "../../random/index.js";
import { tinyGguf } from "../test-support/tiny-gguf.js";
import { byteDecode, byteEncode, chatmlJinja, preTokenize, renderChatml, tokenizerFromGguf, trainBpe } from "./index.js";

// The GPT-2 regex with \s read as Unicode White_Space, as llama.cpp reads it.
const gpt2 = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\p{White_Space}\p{L}\p{N}]+|\p{White_Space}+(?!\P{White_Space})|\p{White_Space}+/gu;
const pool = [..."aZé ñßΩж日本🙂'’\"sStTlLdmrve0123٣５½ \t\n\r\u00a0\u3000\u0085\u2028.,;:!?-_()[]{}<>|/\\@#$%^&*+=~`\u0301\u200d\ufeff"];

function randomLine(random: ReturnType<typeof createRandom>, length: number): string {
  return Array.from({ length }, () => pool[random.int(pool.length)]).join("");
}

describe("GPT-2 pre-tokenisation", () => {
  it("splits like the GPT-2 regex on random text", () => {
    const random = createRandom(1);
    for (let i = 0; i < 2000; i++) {
      const line = randomLine(random, 1 + random.int(30));
      expect(preTokenize(line), JSON.stringify(line)).toEqual(line.match(gpt2) ?? []);
    }
  });
  it("keeps contractions case-sensitive and leaves one space before a word", () => {
    expect(preTokenize("I'm here, they'LL   go")).toEqual(["I", "'m", " here", ",", " they", "'", "LL", "  ", " go"]);
    expect(preTokenize("x\n\n  y")).toEqual(["x", "\n\n ", " y"]);
  });
});

describe("byte-level BPE", () => {
  const texts = ["the cat sat on the mat", "the dog sat on the log", "<|im_start|>user\nthe end<|im_end|>\n"];
  it("trains deterministically with specials last", () => {
    const a = trainBpe(texts, { vocabSize: 280 });
    const b = trainBpe([...texts], { vocabSize: 280 });
    expect(a.vocabulary.merges).toEqual(b.vocabulary.merges);
    // "t h" and "h e" both occur 5 times: the tie goes to the smaller ids ("h" = 104 < "t" = 116).
    expect(a.vocabulary.merges.slice(0, 2)).toEqual(["h e", "t he"]);
    const n = a.vocabSize;
    expect(a.vocabulary.tokens.slice(n - 3)).toEqual(["<|endoftext|>", "<|im_start|>", "<|im_end|>"]);
    expect(a.eosId).toBe(n - 3);
    expect(a.stopIds).toEqual([n - 3, n - 1]);
    expect(a.vocabulary.tokens.slice(0, n - 3).some((t) => t.includes("im_start"))).toBe(false);
  });
  it("round-trips text and compresses it", () => {
    const tok = trainBpe(texts, { vocabSize: 300 });
    const random = createRandom(2);
    for (let i = 0; i < 200; i++) {
      const line = randomLine(random, 20);
      expect(tok.decode(tok.encode(line))).toBe(line.replace(/[\ud800-\udfff]/gu, "\ufffd"));
    }
    expect(tok.encode("the cat sat").length).toBeLessThan("the cat sat".length);
    expect(byteDecode(byteEncode("é 🙂"))).toEqual([...Buffer.from("é 🙂")]);
  });
  it("parses special tokens only when asked and renders ChatML", () => {
    const tok = trainBpe(texts, { vocabSize: 300 });
    const imStart = tok.idOf("<|im_start|>")!, imEnd = tok.idOf("<|im_end|>")!;
    expect(tok.encode("<|im_end|>")).not.toContain(imEnd);
    expect(tok.encode("<|im_end|>", { special: true })).toEqual([imEnd]);
    const messages = [{ role: "system", content: "Be brief." }, { role: "user", content: "Hi" }];
    const text = renderChatml(messages, { addGenerationPrompt: true });
    expect(text).toBe("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
    const ids = tok.encodeChat(messages, { addGenerationPrompt: true });
    expect(ids.filter((id) => id === imStart)).toHaveLength(3);
    expect(tok.decode(ids)).toBe("system\nBe brief.\nuser\nHi\nassistant\n");
    expect(tok.decode(ids, { special: true })).toBe(text);
    expect(tok.tokenText(imEnd)).toBe("<|im_end|>");
  });
  it("round-trips through GGUF metadata", () => {
    const tiny = tinyGguf({ layers: 1, width: 16, heads: 2, ff: 32 });
    const meta = parseGguf(tiny.bytes).metadata;
    expect(meta.get("tokenizer.chat_template")).toEqual({ type: "string", value: chatmlJinja });
    expect(meta.get("tokenizer.ggml.pre")).toEqual({ type: "string", value: "gpt-2" });
    const back = tokenizerFromGguf(meta);
    expect(back.vocabulary.tokens).toEqual(tiny.tokenizer.vocabulary.tokens);
    expect(back.stopIds).toEqual(tiny.tokenizer.stopIds);
    expect(back.bosId).toBeNull();
    const line = "The capital of France is Paris. <|im_end|>";
    expect(back.encode(line, { special: true })).toEqual(tiny.tokenizer.encode(line, { special: true }));
  });
  it("refuses vocabularies it cannot reproduce", () => {
    const meta = parseGguf(tinyGguf({ layers: 1, width: 16, heads: 2, ff: 32 }).bytes).metadata;
    expect(() => tokenizerFromGguf(new Map(meta).set("tokenizer.ggml.model", { type: "string", value: "llama" }))).toThrow(/"llama" is not supported/);
    expect(() => tokenizerFromGguf(new Map(meta).set("tokenizer.ggml.pre", { type: "string", value: "qwen2" }))).toThrow(/"qwen2"/);
    const tokens = meta.get("tokenizer.ggml.tokens")!.value as string[];
    expect(() => tokenizerFromGguf(new Map(meta).set("tokenizer.ggml.tokens", { type: "array", itemType: "string", value: tokens.slice(1) }))).toThrow(/byte token/);
  });
});
