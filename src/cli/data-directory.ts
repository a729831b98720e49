// The data directory: --data, else $PEDIGREE_HOME, else ./.pedigree.
import { resolve } from "node:path";

export function dataDirectory(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(flag ?? env.PEDIGREE_HOME ?? ".pedigree");
}
