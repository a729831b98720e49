// The data directory's state (the embedded default) runs the shared distillation-state suite; a
// reopened state is the same server after a restart.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runDistillationStateSuite } from "./distillation-state.case.js";
import { directoryState } from "./directory-state.js";

runDistillationStateSuite("data directory", async () => {
  const root = mkdtempSync(join(tmpdir(), "pedigree-distillation-state-"));
  let now = 1_700_000_000_000;
  const clock = () => (now += 1000);
  return {
    state: directoryState(root, clock),
    reopen: async () => directoryState(root, clock),
    leases: false,
    close: async () => rmSync(root, { recursive: true, force: true }),
  };
});
