// The distillation replica as one bundled script for a real process (../../test-support/
// spawn-server.ts bundles it): `import.meta.url` is the sources' models/ module, so the built-in
// models (a job's tokenizer) are found from the bundle too.
import { bundleServer } from "../../test-support/spawn-server.js";

export function bundleReplica(): Promise<{ path: string; remove(): void }> {
  return bundleServer(new URL("./distillation-replica.ts", import.meta.url), {
    "import.meta.url": JSON.stringify(new URL("../../../models/builtin-models.ts", import.meta.url).href),
  });
}
