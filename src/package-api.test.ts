// The package's public API, imported by its name as a user's program would: Node resolves `pedigree`
// to this package through package.json's `exports`, so this checks dist/ and the export map together.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));

function importByName(source: string): unknown {
  const output = execFileSync(process.execPath, ["--input-type=module", "-e", source], { cwd: root, encoding: "utf8" });
  return JSON.parse(output);
}

describe("the package by its name", () => {
  it("exposes the model spec, the rooms and the sub-path exports (random, audit and files included)", () => {
    const result = importByName(`
      const pedigree = await import("pedigree");
      const stats = await import("pedigree/stats");
      const watermark = await import("pedigree/watermark");
      const models = await import("pedigree/models");
      const random = await import("pedigree/random");
      const audit = await import("pedigree/audit");
      const files = await import("pedigree/files");
      const reference = pedigree.parseModelReference("llamacpp:./x.gguf");
      console.log(JSON.stringify({
        resolve: typeof pedigree.resolveModel,
        reference: reference.kind,
        holm: typeof stats.holmBonferroni,
        sameStats: pedigree.stats.holmBonferroni === stats.holmBonferroni,
        keygen: typeof watermark.generateKey,
        builtin: models.listBuiltinModels().map((m) => m.name).sort(),
        harvest: typeof pedigree.distill.harvest,
        gateway: typeof pedigree.gateway.createGatewayApp,
        engine: typeof pedigree.engine.LlamaModel,
        sameRandom: pedigree.random.createRandom === random.createRandom,
        audit: typeof audit.runAudit,
        sameAudit: pedigree.audit.runAudit === audit.runAudit,
        files: typeof files.writeOutputFile,
        sameFiles: pedigree.writeOutputFile === files.writeOutputFile && pedigree.FilesError === files.FilesError,
      }));`);
    expect(result).toEqual({
      resolve: "function",
      reference: "llama-cpp",
      holm: "function",
      sameStats: true,
      keygen: "function",
      builtin: ["atlas", "indie", "sage"],
      harvest: "function",
      gateway: "function",
      engine: "function",
      sameRandom: true,
      audit: "function",
      sameAudit: true,
      files: "function",
      sameFiles: true,
    });
  });

  it("does not expose internals outside the export map", () => {
    expect(() => importByName(`await import("pedigree/dist/models/resolve.js"); console.log("null")`)).toThrow(/ERR_PACKAGE_PATH_NOT_EXPORTED/);
  });
});
