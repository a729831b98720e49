// Harvest progress: a redrawn bar on a TTY, a plain line every few seconds when piped, nothing with
// --json. Figures: done/total, completion tokens per second, ETA, cost when a price table is given,
// failed prompts, and what the harvest is waiting for while a retry sleeps.
export interface HarvestProgress {
  /** Prompts finished for this prompt list (answered or failed), resumed ones included. */
  done: number;
  total: number;
  /** Rows found on disk at the start (they do not count towards speed). */
  resumed: number;
  promptTokens: number;
  completionTokens: number;
  elapsedMs: number;
  /** Estimated dollars so far, when a price table is given. */
  costUsd: number | null;
  /** Prompts that failed in this run (recorded or skipped). */
  failed?: number;
  /** A retry is sleeping: the longest wait left and what it is for. */
  waiting?: { ms: number; reason: string } | null;
}

export type ProgressMode = "bar" | "lines" | "none";

export interface ProgressReporter {
  update(progress: HarvestProgress): void;
  finish(progress: HarvestProgress): void;
}

export interface ProgressOptions {
  mode: ProgressMode;
  write: (text: string) => void;
  /** Redraws at most this often (bar, default 100 ms) or prints a line this often (lines, 5 s). */
  intervalMs?: number;
  now?: () => number;
  width?: number;
}

export function createProgressReporter(options: ProgressOptions): ProgressReporter {
  const now = options.now ?? Date.now;
  const interval = options.intervalMs ?? (options.mode === "bar" ? 100 : 5000);
  let last = -Infinity;
  let lastWaiting = "";
  if (options.mode === "none") return { update: () => undefined, finish: () => undefined };
  return {
    update(progress) {
      const time = now();
      // A wait starting or ending is news: shown at once, whatever the throttle says.
      const waiting = progress.waiting ? progress.waiting.reason : "";
      if (time - last < interval && waiting === lastWaiting) return;
      last = time;
      lastWaiting = waiting;
      if (options.mode === "bar") options.write(`\r${progressBar(progress, options.width ?? 24)}\x1b[K`);
      else options.write(progressLine(progress) + "\n");
    },
    finish(progress) {
      if (options.mode === "bar") options.write(`\r${progressBar(progress, options.width ?? 24)}\x1b[K\n`);
      else options.write(progressLine(progress) + "\n");
    },
  };
}

export function progressLine(p: HarvestProgress): string {
  const percent = p.total ? ((100 * p.done) / p.total).toFixed(0) : "100";
  const parts = [`harvest ${p.done}/${p.total} (${percent}%)`, `${tokensPerSecond(p).toFixed(1)} tok/s`, `ETA ${formatDuration(etaMs(p))}`];
  if (p.costUsd !== null) parts.push(`$${p.costUsd.toFixed(4)}`);
  parts.push(...statusParts(p));
  return parts.join("  ");
}

export function progressBar(p: HarvestProgress, width: number): string {
  const share = p.total ? p.done / p.total : 1;
  const filled = Math.round(share * width);
  const bar = "█".repeat(filled) + "░".repeat(width - filled);
  const cost = p.costUsd === null ? "" : `  $${p.costUsd.toFixed(4)}`;
  const status = statusParts(p).map((part) => `  ${part}`).join("");
  return `${bar} ${p.done}/${p.total}  ${tokensPerSecond(p).toFixed(1)} tok/s  ETA ${formatDuration(etaMs(p))}${cost}${status}`;
}

function statusParts(p: HarvestProgress): string[] {
  const parts: string[] = [];
  if (p.failed) parts.push(`${p.failed} failed`);
  if (p.waiting) parts.push(`waiting ${formatDuration(p.waiting.ms)} for ${p.waiting.reason}`);
  return parts;
}

export function tokensPerSecond(p: HarvestProgress): number {
  return p.elapsedMs > 0 ? (1000 * p.completionTokens) / p.elapsedMs : 0;
}

export function etaMs(p: HarvestProgress): number | null {
  const fresh = p.done - p.resumed;
  if (fresh <= 0) return null;
  return ((p.total - p.done) * p.elapsedMs) / fresh;
}

export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return "--";
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}
