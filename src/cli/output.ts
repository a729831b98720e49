// One helper for every command's output: a JSON document on stdout with --json, else human text.
export interface OutputOptions {
  json?: boolean;
}

export function emit(options: OutputOptions, data: unknown, human: () => string): void {
  if (options.json) process.stdout.write(JSON.stringify(data, null, 2) + "\n");
  else process.stdout.write(human().replace(/\n?$/, "\n"));
}

/** Progress and narration go to stderr so that stdout stays machine-readable. */
export function note(message: string): void {
  process.stderr.write(message + "\n");
}
