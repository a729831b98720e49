// Stops a generation when the client disconnects or the backend makes no progress for too long.
// Its own file so that chat-completions.ts and chat-stream.ts both use it without importing each other.
/** Registers a callback for the client's disconnect (an EventEmitter listener is far cheaper than
 *  one on an AbortSignal, which the Node adapter's fast path avoids). */
export type OnClientGone = (abort: () => void) => void;

/** An abort signal that fires on client disconnect or after `timeoutMs` without progress. */
export class GenerationControl {
  readonly controller = new AbortController();
  timedOut = false;
  private lastProgress: number;
  private timer: NodeJS.Timeout | undefined;

  /** `clock` is a monotonic time in ms (injectable so tests drive it with fake timers). */
  constructor(
    private readonly timeoutMs: number,
    /** The client's abort signal, or a function that registers a callback for its disconnect. */
    client: AbortSignal | OnClientGone | undefined,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.lastProgress = clock();
    const gone = () => this.controller.abort(new Error("client disconnected"));
    if (typeof client === "function") client(gone);
    else client?.addEventListener("abort", gone, { once: true });
    this.arm(timeoutMs);
  }

  // One timer per generation: when it fires early because of progress, it re-arms for the rest
  // (cheaper than clearing and setting a timer on every streamed delta).
  private arm(ms: number): void {
    this.timer = setTimeout(() => {
      const idle = this.clock() - this.lastProgress;
      if (idle < this.timeoutMs) return this.arm(this.timeoutMs - idle);
      this.timedOut = true;
      this.controller.abort(new Error("backend timeout"));
    }, ms);
  }

  /** Records progress (called on every streamed delta). */
  touch(): void {
    this.lastProgress = this.clock();
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}
