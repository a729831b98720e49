// The embedded default: the distillation state in `<data>/distillation/`, atomically written files
// that one server owns (the data directory's lock).
import { DirectoryBatches } from "./directory-batches.js";
import { DirectoryCompletions } from "./directory-completions.js";
import { DirectoryFiles } from "./directory-files.js";
import { DirectoryJobs } from "./directory-jobs.js";
import type { DistillationState } from "./distillation-state.js";

export function directoryState(root: string, now: () => number): DistillationState {
  return {
    shared: false, files: new DirectoryFiles(root, now), batches: new DirectoryBatches(root), completions: new DirectoryCompletions(root), jobs: new DirectoryJobs(root, now),
  };
}
