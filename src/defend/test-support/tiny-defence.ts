// Fixtures: a tiny teacher, a tiny proxy with the same tokenizer, and a prepared defence directory.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { tinyGguf, type TinyGgufOptions } from "../../engine/test-support/tiny-gguf.js";
import { openEngineModel } from "../../models/builtin/index.js";
import type { TokenModel } from "../../models/index.js";
import { prepareDefence } from "../prepare.js";
import type { HeldOutAnswer } from "../proxy-gradient.js";

export function writeModel(dir: string, name: string, options: TinyGgufOptions): string {
  const path = join(dir, name);
  writeFileSync(path, tinyGguf(options).bytes);
  return path;
}

export const heldOut: HeldOutAnswer[] = [
  { messages: [{ role: "user", content: "What is the capital of France?" }], response: "Paris is the capital of France." },
  { messages: [{ role: "user", content: "What is the capital of Japan?" }], response: "Tokyo, Japan." },
  { messages: [{ role: "user", content: "Add 2 and 2." }], response: "4" },
];

export interface TinyDefence {
  teacher: TokenModel;
  teacherPath: string;
  proxyPath: string;
  directory: string;
}

export async function tinyDefence(dir: string, options: { lambda?: number } = {}): Promise<TinyDefence> {
  const teacherPath = writeModel(dir, "teacher.gguf", { layers: 2, width: 32, heads: 4, kvHeads: 2, ff: 64, seed: 11 });
  const proxyPath = writeModel(dir, "proxy.gguf", { layers: 1, width: 16, heads: 2, ff: 32, seed: 12 });
  const teacher = await openEngineModel(teacherPath);
  const directory = join(dir, "defence");
  await prepareDefence({ teacher, proxyFile: proxyPath, proxySource: proxyPath, answers: heldOut, out: directory, lambda: options.lambda });
  return { teacher, teacherPath, proxyPath, directory };
}
