// Where a job's working files sit on this machine: `jobs/<id>/` with the worker's spec, the
// trainer's checkpoint and the finished GGUF.
import { join } from "node:path";

export class JobFiles {
  constructor(readonly directory: string) {}

  workDirectory(id: string): string {
    return join(this.directory, id);
  }

  checkpointPath(id: string): string {
    return join(this.workDirectory(id), "checkpoint.bin");
  }

  modelPath(id: string): string {
    return join(this.workDirectory(id), "model.gguf");
  }
}
