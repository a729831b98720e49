import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readInputText } from "./index.js";

describe("readInputText", () => {
  const dir = mkdtempSync(join(tmpdir(), "pedigree-input-"));

  it("reads a text file", () => {
    writeFileSync(join(dir, "a.txt"), "héllo");
    expect(readInputText(join(dir, "a.txt"), "--file")).toBe("héllo");
  });

  it("names the flag and the path of a missing file or a directory, with a code", () => {
    expect(() => readInputText(join(dir, "missing.txt"), "--file")).toThrow(expect.objectContaining({ code: "INPUT_NOT_FOUND", message: expect.stringMatching(/missing\.txt \(--file\)/) }));
    expect(() => readInputText(dir, "--file")).toThrow(expect.objectContaining({ code: "INPUT_UNREADABLE", message: expect.stringMatching(/is a directory/) }));
  });
});
