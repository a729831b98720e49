// Benchmark runner: `npm run bench -- NAME` runs bench/NAME.js; without a name, every bench script.
// Each script runs in its own Node process and prints `name: value unit` lines.
// `audit` trains its zoo of suspects on the first run (about an hour on 2 cores) and caches it outside
// the repository ($PEDIGREE_BENCH_CACHE); later runs only audit what is not yet audited.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const all = readdirSync(here).filter((f) => f.endsWith(".js") && f !== "run.js").map((f) => f.slice(0, -3)).sort();
const names = process.argv.slice(2).length ? process.argv.slice(2) : all;
let failed = false;
for (const name of names) {
  if (!all.includes(name)) {
    console.error(`unknown benchmark "${name}"; available: ${all.join(", ")}`);
    failed = true;
    continue;
  }
  console.log(`# ${name}`);
  const result = spawnSync(process.execPath, [`${here}${name}.js`], { stdio: "inherit" });
  if (result.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
