// A set of 32-bit context words with O(1) clear (epoch stamps), for "first occurrence in this
// sequence" checks in the detector's hot loop, where a JS Set would dominate the cost.
export class ContextSet {
  private keys: Uint32Array;
  private stamps: Uint32Array;
  private mask: number;
  private epoch = 1;
  private size = 0;

  constructor(initialCapacity = 1024) {
    let capacity = 16;
    while (capacity < initialCapacity * 2) capacity *= 2;
    this.keys = new Uint32Array(capacity);
    this.stamps = new Uint32Array(capacity);
    this.mask = capacity - 1;
  }

  clear(): void {
    this.epoch++;
    this.size = 0;
    if (this.epoch === 0xffffffff) {
      this.stamps.fill(0);
      this.epoch = 1;
    }
  }

  /** Adds the word; true when it was not in the set. */
  add(word: number): boolean {
    if (this.size * 2 >= this.mask) this.grow();
    const key = word >>> 0;
    let slot = (Math.imul(key, 0x9e3779b1) >>> 7) & this.mask;
    while (this.stamps[slot] === this.epoch) {
      if (this.keys[slot] === key) return false;
      slot = (slot + 1) & this.mask;
    }
    this.stamps[slot] = this.epoch;
    this.keys[slot] = key;
    this.size++;
    return true;
  }

  private grow(): void {
    const { keys, stamps, epoch } = this;
    const capacity = keys.length * 2;
    this.keys = new Uint32Array(capacity);
    this.stamps = new Uint32Array(capacity);
    this.mask = capacity - 1;
    this.epoch = 1;
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if (stamps[i] === epoch) this.add(keys[i]);
  }
}
