// Max-heap of (count, pair key) for BPE training: highest count first, then the smallest key
// (smaller left id, then smaller right id). Entries go stale when counts change; popValid skips
// entries whose count no longer matches.
export class PairHeap {
  private counts: number[] = [];
  private keys: number[] = [];

  private before(i: number, j: number): boolean {
    const ci = this.counts[i]!, cj = this.counts[j]!;
    return ci > cj || (ci === cj && this.keys[i]! < this.keys[j]!);
  }

  private swap(i: number, j: number): void {
    [this.counts[i], this.counts[j]] = [this.counts[j]!, this.counts[i]!];
    [this.keys[i], this.keys[j]] = [this.keys[j]!, this.keys[i]!];
  }

  push(count: number, key: number): void {
    if (count <= 0) return;
    this.counts.push(count);
    this.keys.push(key);
    let i = this.counts.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private pop(): { count: number; key: number } | undefined {
    const n = this.counts.length;
    if (n === 0) return undefined;
    const top = { count: this.counts[0]!, key: this.keys[0]! };
    this.swap(0, n - 1);
    this.counts.pop();
    this.keys.pop();
    let i = 0;
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < n - 1 && this.before(l, m)) m = l;
      if (r < n - 1 && this.before(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
    return top;
  }

  popValid(current: Map<number, number>): { count: number; key: number } | undefined {
    for (let top = this.pop(); top; top = this.pop()) {
      if (current.get(top.key) === top.count) return top;
    }
    return undefined;
  }
}
