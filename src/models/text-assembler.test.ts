import { describe, expect, it } from "vitest";
import { TextAssembler } from "./text-assembler.js";
import type { Tokenizer } from "./spec.js";

// A byte tokenizer: each id is one UTF-8 byte, so multi-byte characters arrive in pieces.
const bytes: Tokenizer = {
  vocabSize: 256,
  bosId: null,
  eosId: 0,
  stopIds: [0],
  encode: (text) => [...Buffer.from(text, "utf8")],
  decode: (ids) => Buffer.from(Array.from(ids)).toString("utf8"),
  tokenText: (id) => String.fromCharCode(id),
  applyChatTemplate: (messages) => messages.map((m) => m.content).join("\n"),
  encodeChat: (messages) => [...Buffer.from(messages.map((m) => m.content).join("\n"))],
};

function run(text: string, stops: string[]) {
  const assembler = new TextAssembler(bytes, stops);
  const pieces: string[] = [];
  for (const id of bytes.encode(text)) {
    const { text: piece, stopped } = assembler.push(id);
    pieces.push(piece);
    if (stopped) return { pieces, stopped: true };
  }
  pieces.push(assembler.flush());
  return { pieces, stopped: false };
}

describe("TextAssembler", () => {
  it("never emits half a character", () => {
    const { pieces } = run("héllo ✓ 🦙", []);
    expect(pieces.join("")).toBe("héllo ✓ 🦙");
    for (const piece of pieces) expect(piece).not.toContain("\uFFFD");
  });

  it("drops a character cut off at the end (max_tokens mid-character) instead of sending U+FFFD", () => {
    const assembler = new TextAssembler(bytes, []);
    const ids = bytes.encode("ok 🦙").slice(0, -2); // the llama's last two bytes never came
    const text = ids.map((id) => assembler.push(id).text).join("") + assembler.flush();
    expect(text).toBe("ok ");
  });

  it("cuts at a stop sequence and never leaks its beginning", () => {
    const { pieces, stopped } = run("abc END def", ["END"]);
    expect(stopped).toBe(true);
    expect(pieces.join("")).toBe("abc ");
    expect(pieces.some((piece) => piece.includes("E"))).toBe(false);
  });

  it("releases held-back text that did not become a stop sequence", () => {
    const { pieces, stopped } = run("abc EN", ["END"]);
    expect(stopped).toBe(false);
    expect(pieces.join("")).toBe("abc EN");
  });
});
