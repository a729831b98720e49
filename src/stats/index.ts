// The stats room: exact tails in log space and tests. Imports nothing of the project (its seeded
// PRNG is the random leaf, src/random/).
export { StatsError, type StatsErrorCode } from "./errors.js";
export { logAddExp, log1mExp, logSumExp, toLog10 } from "./log-space.js";
export { logGamma, logBeta, stirlingError, bd0 } from "./log-gamma.js";
export { logBetaIncomplete, logBetaIncompleteUpper } from "./beta.js";
export {
  logBinomialPmf,
  logBinomialUpperTail,
  logBinomialLowerTail,
  logBinomialRandomizedTail,
  binomialInterval,
} from "./binomial.js";
export { logGammaUpperTail, logGammaLowerTail } from "./gamma.js";
export { logNormalUpperTail, logNormalLowerTail } from "./normal.js";
export { fisherExactTest, logHypergeometricPmf, type Alternative, type TestResult } from "./fisher.js";
export { twoProportionZTest } from "./two-proportion.js";
export { holmBonferroni, holmBonferroniLog, type HolmResult } from "./holm.js";
export { benjaminiHochberg } from "./benjamini-hochberg.js";
export { permutationTest, meanDifference, type PermutationOptions, type PermutationResult } from "./permutation.js";
export { ksTestUniform, kolmogorovTail, type KsResult } from "./ks.js";
export { clopperPearsonInterval } from "./proportion-interval.js";
export { kendallIdentityTest, countInversions, mahonianTable, type KendallResult, type MahonianTable } from "./kendall.js";
export {
  BettingEProcess,
  BettingMixtureEProcess,
  type EProcess,
  type BettingOptions,
  type BettingEProcessOptions,
  type BettingMixtureOptions,
  type BettingStrategy,
} from "./betting.js";
export { minimumCostAssignment, maximumWeightAssignment, assignmentTotal } from "./linear-assignment.js";
