// The de-duplication tape: a set of (context word, token) pairs, open addressing on typed arrays.
// A pair enters once; later occurrences anywhere in the same test are not scored again, so repeated
// passages and copied prompts cannot add evidence (Sander et al. 2024, "tape").
export class PairTape {
  private contexts: Uint32Array;
  private tokens: Uint32Array;
  private used: Uint8Array;
  private mask: number;
  size = 0;

  constructor(initialCapacity = 1024) {
    let capacity = 16;
    while (capacity < initialCapacity * 2) capacity *= 2;
    this.contexts = new Uint32Array(capacity);
    this.tokens = new Uint32Array(capacity);
    this.used = new Uint8Array(capacity);
    this.mask = capacity - 1;
  }

  /** Adds the pair; true when it was not there before. */
  add(context: number, token: number): boolean {
    if (this.size * 2 >= this.mask) this.grow();
    let slot = slotOf(context, token) & this.mask;
    while (this.used[slot] === 1) {
      if (this.contexts[slot] === context >>> 0 && this.tokens[slot] === token >>> 0) return false;
      slot = (slot + 1) & this.mask;
    }
    this.used[slot] = 1;
    this.contexts[slot] = context;
    this.tokens[slot] = token;
    this.size++;
    return true;
  }

  has(context: number, token: number): boolean {
    let slot = slotOf(context, token) & this.mask;
    while (this.used[slot] === 1) {
      if (this.contexts[slot] === context >>> 0 && this.tokens[slot] === token >>> 0) return true;
      slot = (slot + 1) & this.mask;
    }
    return false;
  }

  private grow(): void {
    const { contexts, tokens, used } = this;
    const capacity = used.length * 2;
    this.contexts = new Uint32Array(capacity);
    this.tokens = new Uint32Array(capacity);
    this.used = new Uint8Array(capacity);
    this.mask = capacity - 1;
    this.size = 0;
    for (let i = 0; i < used.length; i++) if (used[i] === 1) this.add(contexts[i], tokens[i]);
  }
}

function slotOf(context: number, token: number): number {
  let h = Math.imul(context ^ Math.imul(token, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
