// Cross-key ("hydra") clusters within one UTC day: keys are linked when they share their own
// templates (band keys that benign traffic does not commonly share and that each key itself fills
// with at least two different prompts; at least MIN_SHARED of them), or when their requests fall
// into the same 5-second bins far more often than chance.
// Linked components of at least MIN_MEMBERS keys are scored on their pooled traffic.
import type { KeyDay } from "./key-days.js";

const MIN_SHARED = 2;
const MIN_MEMBERS = 3;
const BIN_MS = 5_000;
const BINS_PER_DAY = 86_400_000 / BIN_MS;
const MIN_COINCIDENCES = 8;
const COINCIDENCE_RATIO = 8;
/** Buckets with more keys than this are popular benign wordings, not a campaign's private template. */
const MAX_BUCKET_KEYS = 400;

class UnionFind {
  private readonly parent: number[];
  constructor(size: number) {
    this.parent = Array.from({ length: size }, (_, i) => i);
  }
  find(i: number): number {
    while (this.parent[i] !== i) i = this.parent[i] = this.parent[this.parent[i]!]!;
    return i;
  }
  union(a: number, b: number): void {
    this.parent[this.find(a)] = this.find(b);
  }
}

function countPairs(groups: Iterable<number[]>, size: number): Map<number, number> {
  const pairs = new Map<number, number>();
  for (const members of groups) {
    if (members.length < 2 || members.length > MAX_BUCKET_KEYS) continue;
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        const pair = members[i]! * size + members[j]!;
        pairs.set(pair, (pairs.get(pair) ?? 0) + 1);
      }
    }
  }
  return pairs;
}

/** Bands (not commonly benign) that this key fills with at least two different prompts. */
function ownTemplates(keyDay: KeyDay, commonBands: ReadonlySet<number>): number[] {
  const first = new Map<number, string>();
  const own = new Set<number>();
  for (const item of keyDay.exchanges) {
    for (const band of item.bands) {
      if (commonBands.has(band)) continue;
      const seen = first.get(band);
      if (seen === undefined) first.set(band, item.textHash);
      else if (seen !== item.textHash) own.add(band);
    }
  }
  return [...own];
}

/** The clusters (member indices into `keyDays`, all from one day). */
export function findClusters(keyDays: readonly KeyDay[], commonBands: ReadonlySet<number>): number[][] {
  const size = keyDays.length;
  const bands = new Map<number, number[]>();
  const bins = new Map<number, number[]>();
  keyDays.forEach((keyDay, index) => {
    for (const band of ownTemplates(keyDay, commonBands)) {
      let keys = bands.get(band);
      if (!keys) bands.set(band, (keys = []));
      keys.push(index);
    }
    const seenBins = new Set<number>();
    for (const item of keyDay.exchanges) {
      const bin = Math.floor(item.exchange.ts / BIN_MS);
      if (!seenBins.has(bin)) {
        seenBins.add(bin);
        let members = bins.get(bin);
        if (!members) bins.set(bin, (members = []));
        members.push(index);
      }
    }
  });
  const sets = new UnionFind(size);
  const templatePairs = countPairs(bands.values(), size);
  for (const [pair, shared] of templatePairs) if (shared >= MIN_SHARED) sets.union(Math.floor(pair / size), pair % size);
  const activeBins = keyDays.map((keyDay) => new Set(keyDay.exchanges.map((item) => Math.floor(item.exchange.ts / BIN_MS))).size);
  for (const [pair, together] of countPairs(bins.values(), size)) {
    const a = Math.floor(pair / size);
    const b = pair % size;
    const expected = (activeBins[a]! * activeBins[b]!) / BINS_PER_DAY;
    if (together >= MIN_COINCIDENCES && together >= COINCIDENCE_RATIO * expected) sets.union(a, b);
  }
  const components = new Map<number, number[]>();
  for (let i = 0; i < size; i++) {
    const root = sets.find(i);
    let members = components.get(root);
    if (!members) components.set(root, (members = []));
    members.push(i);
  }
  return [...components.values()].filter((members) => members.length >= MIN_MEMBERS);
}
