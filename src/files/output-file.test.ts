import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { assertOutputFree, FilesError, writeOutputFile } from "./index.js";

const directory = () => mkdtempSync(join(tmpdir(), "pedigree-files-"));

describe("writeOutputFile", () => {
  it("writes a new file and leaves no temporary file behind", () => {
    const dir = directory();
    const path = join(dir, "out.jsonl");
    writeOutputFile(path, ["a", "b"].map((s) => Buffer.from(s + "\n")));
    expect(readFileSync(path, "utf8")).toBe("a\nb\n");
    expect(readdirSync(dir)).toEqual(["out.jsonl"]);
  });

  it("refuses to replace an existing file without force, and keeps it intact", () => {
    const dir = directory();
    const path = join(dir, "out.jsonl");
    writeFileSync(path, "precious\n");
    let caught: unknown;
    try {
      writeOutputFile(path, "other\n");
    } catch (error) {
      caught = error;
    }
    expect(FilesError.isInstance(caught) && caught.code).toBe("OUTPUT_EXISTS");
    expect((caught as Error).message).toContain("--force");
    expect(readFileSync(path, "utf8")).toBe("precious\n");
    expect(() => assertOutputFree(path)).toThrow(/--force/);
  });

  it("replaces with force and honours the mode", () => {
    const dir = directory();
    const path = join(dir, "secret");
    writeFileSync(path, "old");
    writeOutputFile(path, "new", { force: true, mode: 0o600 });
    expect(readFileSync(path, "utf8")).toBe("new");
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it("streams chunks from any iterable, text or bytes, without holding them all", () => {
    const dir = directory();
    const path = join(dir, "rows.jsonl");
    let pulled = 0;
    function* rows() {
      for (let i = 0; i < 3; i++) {
        pulled += 1;
        yield i % 2 ? Buffer.from(`{"row":${i}}\n`) : `{"row":${i}}\n`;
      }
    }
    writeOutputFile(path, rows(), { mode: 0o600 });
    expect(pulled).toBe(3);
    expect(readFileSync(path, "utf8")).toBe('{"row":0}\n{"row":1}\n{"row":2}\n');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(["rows.jsonl"]);
  });

  it("leaves the old file and no temporary file when the chunk source fails, and passes its error on", () => {
    const dir = directory();
    const path = join(dir, "rows.jsonl");
    writeFileSync(path, "old\n");
    const broken = new RangeError("the database went away");
    function* rows() {
      yield "first\n";
      throw broken;
    }
    expect(() => writeOutputFile(path, rows(), { force: true })).toThrow(broken);
    expect(readFileSync(path, "utf8")).toBe("old\n");
    expect(readdirSync(dir)).toEqual(["rows.jsonl"]);
  });

  it("reports a failed write with a code and cleans up", () => {
    const dir = directory();
    const path = join(dir, "missing-dir", "out");
    expect(() => writeOutputFile(path, "x")).toThrow(expect.objectContaining({ code: "OUTPUT_WRITE_FAILED" }));
  });
});
