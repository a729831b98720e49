// Reading a user's input file (a --file or --in argument) with errors that name the flag and say
// what to do, instead of a bare ENOENT or EISDIR from Node.
import { readFileSync } from "node:fs";
import { FilesError } from "./errors.js";

/** Reads a UTF-8 text file named by `flag` (e.g. "--file"); throws INPUT_NOT_FOUND or INPUT_UNREADABLE. */
export function readInputText(path: string, flag: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new FilesError("INPUT_NOT_FOUND", `no file at ${path} (${flag}); check the path`, { cause: error });
    if (code === "EISDIR") throw new FilesError("INPUT_UNREADABLE", `${path} (${flag}) is a directory; pass a file`, { cause: error });
    if (code === "EACCES" || code === "EPERM") throw new FilesError("INPUT_UNREADABLE", `${path} (${flag}) is not readable by this user; check its permissions`, { cause: error });
    throw new FilesError("INPUT_UNREADABLE", `could not read ${path} (${flag}): ${(error as Error).message}`, { cause: error });
  }
}
