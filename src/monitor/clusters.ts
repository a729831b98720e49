// Cross-key ("hydra") clusters within one UTC day: keys are linked when they share their own
// templates (band keys that benign traffic does not commonly share and that cover a share of each
// key's own day, see ownTemplates; at least MIN_SHARED of them), or when their requests fall
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

/**
 * A key's own templates: bands (not commonly benign) that it fills with at least MIN_TEMPLATE_PROMPTS
 * different prompts making up at least MIN_TEMPLATE_SHARE of its day. A wrapper a client puts on its
 * requests covers much of its traffic; a band two busy apps share by chance (the same question asked
 * plainly and with a courtesy) covers a few prompts in a thousand and links nothing.
 */
const MIN_TEMPLATE_PROMPTS = 3;
const MIN_TEMPLATE_SHARE = 0.05;
function ownTemplates(keyDay: KeyDay, commonBands: ReadonlySet<number>): number[] {
  const texts = new Map<number, Set<string>>();
  const uses = new Map<number, number>();
  for (const item of keyDay.exchanges) {
    for (const band of item.bands) {
      if (commonBands.has(band)) continue;
      uses.set(band, (uses.get(band) ?? 0) + 1);
      let seen = texts.get(band);
      if (!seen) texts.set(band, (seen = new Set()));
      if (seen.size < MIN_TEMPLATE_PROMPTS) seen.add(item.textHash);
    }
  }
  const needed = Math.max(MIN_TEMPLATE_PROMPTS, MIN_TEMPLATE_SHARE * keyDay.exchanges.length);
  return [...uses].filter(([band, count]) => count >= needed && texts.get(band)!.size >= MIN_TEMPLATE_PROMPTS).map(([band]) => band);
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
