// The weight test (a provenance test for white-box suspects), after Zhu, Ahmed, Kuditipudi and Liang,
// "Independence Tests for Language Models" (ICML 2025): H0 is that the suspect and the teacher were
// trained from independent random initialisations. Initialisation draws the MLP hidden units i.i.d.
// and training is equivariant under permuting them, so under H0 the suspect's hidden units come in
// a uniformly random order relative to the teacher's, whatever data either saw. For each block, the
// rows of the up-projection (one per hidden unit) of the two models are matched by maximum total
// cosine similarity (linear assignment); the matching π is then a uniform permutation under H0, and
// independently so in every block. A copy or fine-tune keeps π near the identity.
// Departure from the paper: Kendall's tau (the inversions of π, exact Mahonian law) replaces
// Spearman's rho, whose exact null cannot be enumerated for hundreds of units. Blocks combine by
// Fisher's method: −2 Σ ln p ~ χ²(2L) under H0, exact with the randomised per-block p-values and
// conservative with the conservative ones (which the verdict uses).
// Limits: a thief who re-permutes the hidden units (a function-preserving change) makes π uniform
// again, and a student trained from scratch on the teacher's outputs shares no initialisation.
import { createRandom } from "../random/index.js";
import { kendallIdentityTest, logGammaUpperTail, maximumWeightAssignment, toLog10 } from "../stats/index.js";
import { AuditError } from "./errors.js";
import { notApplicable, testResult, type AuditTestResult } from "./test-result.js";

/** One block's up-projection: row-major, rows = hidden units (d_ff), cols = d_model. */
export interface UpProjection {
  rows: number;
  cols: number;
  data: Float32Array;
}

export interface ModelUpProjections {
  layers: UpProjection[];
}

export interface WeightTestOptions {
  /** Seeds the uniform draws of the randomised per-block p-values (reported in the detail). */
  seed?: number | string;
}

const NAME = "weights";
const LIMITS = "assumes the suspect's MLP hidden units were not re-permuted; a student trained from scratch on the teacher's outputs is outside what it can detect";

/** Rows scaled to unit length (a zero row stays zero: similarity 0 with everything). */
function unitRows(layer: UpProjection): Float64Array {
  const { rows, cols, data } = layer;
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    let norm = 0;
    for (let c = 0; c < cols; c++) norm += data[r * cols + c] ** 2;
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let c = 0; c < cols; c++) out[r * cols + c] = data[r * cols + c] * scale;
  }
  return out;
}

/** π[i] = the teacher unit matched to suspect unit i, maximising the summed cosine similarity. */
export function matchHiddenUnits(suspect: UpProjection, teacher: UpProjection): Int32Array {
  const n = suspect.rows;
  const d = suspect.cols;
  const a = unitRows(suspect);
  const b = unitRows(teacher);
  const similarity = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let c = 0; c < d; c++) dot += a[i * d + c] * b[j * d + c];
      similarity[i * n + j] = dot;
    }
  }
  return maximumWeightAssignment(similarity, n);
}

function shapes(model: ModelUpProjections): string {
  const first = model.layers[0];
  return `${model.layers.length} blocks × ${first ? `${first.rows}×${first.cols}` : "none"}`;
}

function checkLayers(model: ModelUpProjections, role: string): void {
  model.layers.forEach((layer, l) => {
    if (layer.data.length !== layer.rows * layer.cols) {
      throw new AuditError("AUDIT_BAD_OPTION", `the ${role}'s up-projection of block ${l} has ${layer.data.length} values, not ${layer.rows}×${layer.cols}`);
    }
  });
}

/** Why the test cannot compare these models, or null when it can. */
/** Why the two models cannot be compared (null when every block has the same shape). */
export function weightShapeMismatch(suspect: ModelUpProjections, teacher: ModelUpProjections): string | null {
  const sameShapes =
    suspect.layers.length === teacher.layers.length &&
    suspect.layers.every((layer, l) => layer.rows === teacher.layers[l].rows && layer.cols === teacher.layers[l].cols);
  if (!sameShapes) {
    return `the MLP shapes differ (suspect ${shapes(suspect)}, teacher ${shapes(teacher)}; up-projection d_ff×d_model): the weight test needs the same layer count, d_ff and d_model`;
  }
  if (suspect.layers.length === 0 || suspect.layers.some((layer) => layer.rows < 2)) {
    return `the models have no MLP blocks of at least 2 hidden units to match (${shapes(suspect)})`;
  }
  return null;
}

/** ln P(χ²(2L) ≥ x) = ln Q(L, x/2). */
function fisherLogP(chiSquare: number, layers: number): number {
  return logGammaUpperTail(layers, chiSquare / 2);
}

export function weightTest(suspect: ModelUpProjections, teacher: ModelUpProjections, options: WeightTestOptions = {}): AuditTestResult {
  checkLayers(suspect, "suspect");
  checkLayers(teacher, "teacher");
  const reason = weightShapeMismatch(suspect, teacher);
  if (reason !== null) return notApplicable(NAME, "provenance", reason, { suspect_shape: shapes(suspect), teacher_shape: shapes(teacher) });
  const seed = options.seed ?? "weight-test";
  const random = createRandom(seed);
  const perLayer = suspect.layers.map((layer, l) => kendallIdentityTest(matchHiddenUnits(layer, teacher.layers[l]), random.uniform53()));
  const chiSquare = perLayer.reduce((sum, r) => sum - 2 * r.log_p, 0);
  const chiSquareRandomized = perLayer.reduce((sum, r) => sum - 2 * r.log_p_randomized, 0);
  const layers = perLayer.length;
  const logP = fisherLogP(chiSquare, layers);
  const logPRandomized = fisherLogP(chiSquareRandomized, layers);
  return testResult({
    name: NAME,
    kind: "provenance",
    statistic: chiSquare,
    logP,
    queries: 0,
    note: LIMITS,
    detail: {
      layers,
      units: suspect.layers[0].rows,
      model_dimension: suspect.layers[0].cols,
      statistic: "Fisher's χ² over blocks of the conservative Kendall p-values",
      degrees_of_freedom: 2 * layers,
      tau: perLayer.map((r) => r.tau),
      inversions: perLayer.map((r) => r.inversions),
      log10_p_layers: perLayer.map((r) => toLog10(r.log_p)),
      log10_p_layers_randomized: perLayer.map((r) => toLog10(r.log_p_randomized)),
      chi_square_randomized: chiSquareRandomized,
      p_value_randomized: Math.exp(logPRandomized),
      log10_p_randomized: toLog10(logPRandomized),
      seed,
    },
  });
}
