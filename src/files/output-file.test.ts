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

  it("reports a failed write with a code and cleans up", () => {
    const dir = directory();
    const path = join(dir, "missing-dir", "out");
    expect(() => writeOutputFile(path, "x")).toThrow(expect.objectContaining({ code: "OUTPUT_WRITE_FAILED" }));
  });
});
