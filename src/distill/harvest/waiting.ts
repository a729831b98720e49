// Retries sleeping right now, so the progress line can say what the harvest waits for instead of
// sitting silent at "0/3 (0%)".
export interface Waiting {
  ms: number;
  reason: string;
}

export class WaitBoard {
  private readonly waits = new Map<number, { until: number; reason: string }>();
  private next = 0;

  constructor(private readonly now: () => number) {}

  begin(ms: number, reason: string): number {
    const id = this.next++;
    this.waits.set(id, { until: this.now() + ms, reason });
    return id;
  }

  end(id: number): void {
    this.waits.delete(id);
  }

  /** The wait that ends last, or null when no request is waiting. */
  current(): Waiting | null {
    let longest: { until: number; reason: string } | null = null;
    for (const wait of this.waits.values()) if (!longest || wait.until > longest.until) longest = wait;
    return longest && { ms: Math.max(0, longest.until - this.now()), reason: longest.reason };
  }
}
