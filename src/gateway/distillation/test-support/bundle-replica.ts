// The distillation replica as one bundled script for a real process (see ../../test-support/
// spawn-server.ts, which this follows): packages stay external and the model resolver is stubbed
// out; `import.meta.url` is the sources' models/ module, so the built-in models (a job's tokenizer)
// are found from the bundle too.
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

export async function bundleReplica(): Promise<{ path: string; remove(): void }> {
  const cache = fileURLToPath(new URL("../../../../node_modules/.cache/pedigree-gateway-test/", import.meta.url));
  mkdirSync(cache, { recursive: true });
  const path = join(cache, `distillation-replica-${process.pid}.mjs`);
  await build({
    entryPoints: [fileURLToPath(new URL("./distillation-replica.ts", import.meta.url))],
    outfile: path,
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    logLevel: "silent",
    define: { "import.meta.url": JSON.stringify(new URL("../../../models/builtin-models.ts", import.meta.url).href) },
    plugins: [{
      name: "no-resolver",
      setup(esbuild) {
        esbuild.onResolve({ filter: /models\/resolve\.js$/ }, () => ({ path: "resolve", namespace: "stub" }));
        esbuild.onLoad({ filter: /.*/, namespace: "stub" }, () => ({ contents: "export async function resolveModel() { throw new Error('no resolver'); }" }));
      },
    }],
  });
  return { path, remove: () => rmSync(path, { force: true }) };
}
