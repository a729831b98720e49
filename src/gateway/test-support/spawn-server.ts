// Real gateway processes for the tests that kill them (SIGKILL): a test-support entry point is
// bundled with esbuild (the gateway only; packages stay external, the model resolver is stubbed out)
// and started with node; it prints `{"url": …}` once listening.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/**
 * Bundles `entry` (a file name in this folder, or a module URL elsewhere) into one script for a real
 * process. `define` replaces globals at build time (a bundle that must find the sources' data files
 * sets `import.meta.url`).
 */
export async function bundleServer(entry: string | URL, define: Record<string, string> = {}): Promise<{ path: string; remove(): void }> {
  const entryUrl = typeof entry === "string" ? new URL(`./${entry}`, import.meta.url) : entry;
  const cache = fileURLToPath(new URL("../../../node_modules/.cache/pedigree-gateway-test/", import.meta.url));
  mkdirSync(cache, { recursive: true });
  const path = join(cache, `${basename(entryUrl.pathname).replace(/\.ts$/, "")}-${process.pid}.mjs`);
  await build({
    entryPoints: [fileURLToPath(entryUrl)],
    outfile: path,
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    logLevel: "silent",
    define,
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

export function startServer(bundle: string, args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [bundle, ...args], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
    child.stdout!.once("data", (chunk: Buffer) => resolve({ child, url: (JSON.parse(chunk.toString()) as { url: string }).url }));
  });
}

/** SIGKILL, and wait until the process is gone. */
export function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}
