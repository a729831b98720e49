// `pedigree log export --out FILE`: the log can be larger than memory, so rows stream one at a time
// into the files leaf's atomic writer. A crash leaves the old FILE (or none), never half an export; an
// existing FILE is refused unless `force`.
import { writeOutputFile } from "../files/index.js";
import type { SqliteDatabase } from "./database.js";
import { iterateLog } from "./log-store.js";

/** Writes every exchange as one JSON line; returns the number of rows. The file is owner-only (0600). */
export function exportLogToFile(db: SqliteDatabase, path: string, options: { force?: boolean } = {}): number {
  let rows = 0;
  function* lines() {
    for (const row of iterateLog(db)) {
      rows += 1;
      yield JSON.stringify(row) + "\n";
    }
  }
  writeOutputFile(path, lines(), { force: options.force, mode: 0o600 });
  return rows;
}
