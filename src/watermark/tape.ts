// The de-duplication tape: a set of (context word, token) pairs, open addressing on one interleaved
// typed array (context, token + 1; 0 marks an empty slot) so a probe touches one cache line.
// A pair enters once; later occurrences anywhere in the same test are not scored again, so repeated
// passages and copied prompts cannot add evidence (Sander et al. 2024, "tape").
export class PairTape {
  private slots: Uint32Array;
  private mask: number;
  size = 0;

  constructor(initialCapacity = 1024) {
    let capacity = 16;
    while (capacity < initialCapacity * 2) capacity *= 2;
    this.slots = new Uint32Array(capacity * 2);
    this.mask = capacity - 1;
  }

  /** Makes room for `extra` more pairs at once, so a long text does not rehash repeatedly. */
  reserve(extra: number): void {
    while ((this.size + extra) * 2 >= this.mask) this.grow();
  }

  /** Adds the pair; true when it was not there before. Tokens must be below 2^32 − 1. */
  add(context: number, token: number): boolean {
    if (this.size * 2 >= this.mask) this.grow();
    const slots = this.slots;
    const mask = this.mask;
    const tag = (token + 1) >>> 0;
    const ctx = context >>> 0;
    let slot = slotOf(ctx, tag) & mask;
    for (;;) {
      const stored = slots[2 * slot + 1];
      if (stored === 0) break;
      if (stored === tag && slots[2 * slot] === ctx) return false;
      slot = (slot + 1) & mask;
    }
    slots[2 * slot] = ctx;
    slots[2 * slot + 1] = tag;
    this.size++;
    return true;
  }

  has(context: number, token: number): boolean {
    const tag = (token + 1) >>> 0;
    const ctx = context >>> 0;
    let slot = slotOf(ctx, tag) & this.mask;
    for (;;) {
      const stored = this.slots[2 * slot + 1];
      if (stored === 0) return false;
      if (stored === tag && this.slots[2 * slot] === ctx) return true;
      slot = (slot + 1) & this.mask;
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    this.mask = old.length - 1;
    this.size = 0;
    for (let i = 0; i < old.length; i += 2) if (old[i + 1] !== 0) this.add(old[i], old[i + 1] - 1);
  }
}

function slotOf(context: number, tag: number): number {
  let h = Math.imul(context ^ Math.imul(tag, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
