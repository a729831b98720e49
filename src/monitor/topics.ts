// Topics for the coverage feature: k-means (Lloyd's algorithm, k-means++ seeding: Arthur &
// Vassilvitskii 2007) on hashed embeddings of the benign reference's prompts, seeded.
import type { Random } from "../random/index.js";
import { EMBEDDING_DIMENSIONS } from "./text-features.js";

export interface Topics {
  count: number;
  /** count × EMBEDDING_DIMENSIONS, unit rows (what a saved reference keeps). */
  centroids: Float32Array;
  nearest(vector: Float32Array): number;
}

function dot(a: Float32Array, b: Float32Array, offset: number): number {
  let sum = 0;
  for (let i = 0; i < EMBEDDING_DIMENSIONS; i++) sum += a[i]! * b[offset + i]!;
  return sum;
}

/** Centroids as one flat array (count × dimensions); nearest = largest dot product (unit vectors). */
export function topicsFromCentroids(centroids: Float32Array): Topics {
  const count = centroids.length / EMBEDDING_DIMENSIONS;
  return {
    count,
    centroids,
    nearest(vector) {
      let best = 0;
      let bestScore = -Infinity;
      for (let k = 0; k < count; k++) {
        const score = dot(vector, centroids, k * EMBEDDING_DIMENSIONS);
        if (score > bestScore) [best, bestScore] = [k, score];
      }
      return best;
    },
  };
}

export function fitTopics(vectors: Float32Array[], count: number, rng: Random, iterations = 8): Topics {
  const D = EMBEDDING_DIMENSIONS;
  const k = Math.max(1, Math.min(count, vectors.length));
  const centroids = new Float32Array(k * D);
  if (vectors.length === 0) return topicsFromCentroids(centroids);
  centroids.set(vectors[rng.int(vectors.length)]!, 0);
  const distance = new Float64Array(vectors.length).fill(Infinity);
  for (let c = 1; c < k; c++) {
    let total = 0;
    vectors.forEach((vector, i) => {
      distance[i] = Math.min(distance[i]!, Math.max(0, 2 - 2 * dot(vector, centroids, (c - 1) * D)));
      total += distance[i]!;
    });
    let target = rng.uniform53() * total;
    let chosen = vectors.length - 1;
    for (let i = 0; i < vectors.length; i++) if ((target -= distance[i]!) <= 0) { chosen = i; break; }
    centroids.set(vectors[chosen]!, c * D);
  }
  for (let step = 0; step < iterations; step++) {
    const topics = topicsFromCentroids(centroids);
    const sums = new Float64Array(k * D);
    for (const vector of vectors) {
      const offset = topics.nearest(vector) * D;
      for (let i = 0; i < D; i++) sums[offset + i]! += vector[i]!;
    }
    for (let c = 0; c < k; c++) {
      let norm = 0;
      for (let i = 0; i < D; i++) norm += sums[c * D + i]! ** 2;
      if (norm === 0) continue; // an empty cluster keeps its centroid
      for (let i = 0; i < D; i++) centroids[c * D + i] = sums[c * D + i]! / Math.sqrt(norm);
    }
  }
  return topicsFromCentroids(centroids);
}
