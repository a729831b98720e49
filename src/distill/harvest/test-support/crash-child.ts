// Child process for the crash test: harvests slowly so the parent can kill it (SIGKILL) mid-run.
// argv: OUT PROMPT_COUNT
import { harvest } from "../harvest.js";
import { withUniqueIds } from "../prompts.js";
import { createFakeTeacher } from "./fake-teacher.js";

const [out, count] = process.argv.slice(2);
const prompts = withUniqueIds(Array.from({ length: Number(count) }, (_, i) => ({ messages: [{ role: "user" as const, content: `question ${i}` }] })));
await harvest({ model: createFakeTeacher({ delayMs: 15 }), teacher: "fake", prompts, out: out!, concurrency: 3, seed: 7, topLogprobs: 2, fsyncEveryRows: 1000,
  // Pipes are synchronous on Linux: once the parent reads n, n rows were written.
  onProgress: (progress) => process.stdout.write(`${progress.done}\n`) });
process.stdout.write("finished\n");
