// `pedigree log export --out FILE`: the log can be larger than memory, so rows stream one at a time
// (every chain, merged by time) into the files leaf's atomic writer. A crash leaves the old FILE (or
// none), never half an export; an existing FILE is refused unless `force`.
import { writeOutputFileFrom } from "../files/index.js";
import type { LogReader } from "./store/store.js";

/** Writes every row as one JSON line; returns the number of rows. The file is owner-only (0600). */
export async function exportLogToFile(reader: LogReader, path: string, options: { force?: boolean } = {}): Promise<number> {
  let rows = 0;
  async function* lines() {
    for await (const row of reader.iterate()) {
      rows += 1;
      yield JSON.stringify(row) + "\n";
    }
  }
  await writeOutputFileFrom(path, lines(), { force: options.force, mode: 0o600 });
  return rows;
}
