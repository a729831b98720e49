// LEGACY: mulberry32 (Tommy Ettinger's 32-bit mixer), kept only for the corpus builders. The shipped
// models (models/*.gguf, `npm run build:models`) were trained on data mixes, splits and eval sets
// drawn from this stream; any other generator would reorder and reword that data, so the built-in
// models could no longer be rebuilt bit for bit and their eval sets would change. Everything else
// uses the project's one PRNG (src/random/). Seeds may be strings: they are hashed with FNV-1a so
// that "atlas" and "indie" get unrelated streams.
export interface LegacyRandom {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[];
  /** An independent stream derived from this seed and a label. */
  fork(label: string): LegacyRandom;
}

export function hashSeed(seed: number | string): number {
  const text = String(seed);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function createLegacyRandom(seed: number | string): LegacyRandom {
  const base = hashSeed(seed);
  let state = base;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return {
    next,
    int,
    pick: (items) => items[int(items.length)]!,
    shuffle: (items) => {
      const copy = items.slice();
      for (let i = copy.length - 1; i > 0; i--) {
        const j = int(i + 1);
        [copy[i], copy[j]] = [copy[j]!, copy[i]!];
      }
      return copy;
    },
    fork: (label) => createLegacyRandom(`${base}/${label}`),
  };
}
