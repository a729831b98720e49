import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { JsonlAppender } from "../../files/jsonl-append.js";
import { parseJsonl, readJsonl } from "./jsonl-read.js";

const schema = z.object({ n: z.number() });
const parse = (text: string) => parseJsonl(Buffer.from(text), schema, "data.jsonl");

describe("JSONL reading", () => {
  it("reads rows, skips blank lines, accepts CRLF and a BOM", () => {
    const result = parse('\uFEFF{"n":1}\r\n\n{"n":2}\n');
    expect(result.rows).toEqual([{ n: 1 }, { n: 2 }]);
    expect(result.lineNumbers).toEqual([1, 3]);
    expect(result).toMatchObject({ truncatedTail: null, missingFinalNewline: false });
  });

  it("reports and ignores a truncated last line, saying where the good bytes end", () => {
    const text = '{"n":1}\n{"n":2}\n{"n":3';
    const result = parse(text);
    expect(result.rows).toEqual([{ n: 1 }, { n: 2 }]);
    expect(result.validBytes).toBe(16);
    expect(result.truncatedTail).toMatchObject({ line: 3, byteOffset: 16, bytes: 6 });
    expect(result.truncatedTail!.message).toMatch(/data\.jsonl: line 3 is incomplete.*ignored/);
  });

  it("accepts a complete last line without a newline and flags it", () => {
    expect(parse('{"n":1}\n{"n":2}')).toMatchObject({ rows: [{ n: 1 }, { n: 2 }], missingFinalNewline: true, truncatedTail: null });
  });

  it("names the line of bad JSON or a bad row in the middle of the file", () => {
    expect(() => parse('{"n":1}\n{"n":\n{"n":3}\n')).toThrow(/data\.jsonl: line 2 is malformed: not valid JSON/);
    expect(() => parse('{"n":1}\n{"n":"x"}\n')).toThrow(/line 2 is malformed: field 'n'/);
    expect(() => parse('{"n":1}\n{"n":"x"}')).toThrow(/line 2/);
  });

  it("missing files are an error unless allowed", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "pedigree-jsonl-")), "none.jsonl");
    await expect(readJsonl(path, schema)).rejects.toMatchObject({ code: "DATA_NOT_FOUND" });
    expect((await readJsonl(path, schema, { allowMissing: true })).rows).toEqual([]);
  });
});

describe("JSONL appending", () => {
  it("cuts a partial tail, restores a missing newline, writes whole lines", async () => {
    const directory = mkdtempSync(join(tmpdir(), "pedigree-jsonl-"));
    const partial = join(directory, "partial.jsonl");
    writeFileSync(partial, '{"n":1}\n{"n":2');
    const read = await readJsonl(partial, schema);
    const appender = JsonlAppender.open(partial, { validBytes: read.validBytes });
    appender.append({ n: 3 });
    appender.close();
    expect(readFileSync(partial, "utf8")).toBe('{"n":1}\n{"n":3}\n');

    const unterminated = join(directory, "unterminated.jsonl");
    writeFileSync(unterminated, '{"n":1}');
    const again = await readJsonl(unterminated, schema);
    const second = JsonlAppender.open(unterminated, { validBytes: again.validBytes, missingFinalNewline: again.missingFinalNewline, fsyncEveryRows: 1 });
    second.append({ n: 2 });
    second.close();
    expect((await readJsonl(unterminated, schema)).rows).toEqual([{ n: 1 }, { n: 2 }]);
  });
});
