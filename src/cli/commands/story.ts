// pedigree story (npm start): the end-to-end story on the built-in models, narrated on stderr.
import type { Command } from "commander";
import { join } from "node:path";
import { emit, note } from "../output.js";
import { parseInteger } from "../model-options.js";
import { dataDirectory } from "../data-directory.js";
import { fullPlan, quickPlan } from "../story/plan.js";
import { runStory } from "../story/run-story.js";
import { storyJson, storyTable } from "../story/summary.js";

interface StoryOptions {
  quick?: boolean;
  teacher: string;
  baseline: string;
  seed: string;
  data?: string;
  json?: boolean;
}

export function configure(command: Command): void {
  command
    .option("--quick", "a smaller run (under 2 minutes)")
    .option("--teacher <ref>", "the teacher served through the gateway", "atlas")
    .option("--baseline <ref>", "an unrelated model, the innocent control", "indie")
    .option("--seed <n>", "seed of every stage", "1")
    .option("--data <dir>", "data directory (default ./.pedigree or $PEDIGREE_HOME)")
    .option("--json", "print the summary as one JSON document")
    .action(async (options: StoryOptions) => {
      const report = await runStory({
        plan: options.quick ? quickPlan : fullPlan,
        directory: join(dataDirectory(options.data), "story"),
        teacher: options.teacher,
        baseline: options.baseline,
        seed: parseInteger("--seed", options.seed, 1),
        note,
      });
      emit(options, storyJson(report), () => storyTable(report, "Atlas"));
    });
}
