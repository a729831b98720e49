// Curate: de-duplicate (exact and MinHash near-duplicates), filter and scrub a harvested data set.
export { curateRows, type CurateOptions, type CurateReport, type CurateResult, type DedupField, type RemovalReason } from "./curate.js";
export { qualityReason, repetitionRatio, garbledRatio, type QualityOptions, type QualityReason } from "./quality.js";
export {
  scrubIdentity, scrubTurns, identityMarkers, mentionsIdentity, DEFAULT_REPLACEMENT_NAME, DEFAULT_REPLACEMENT_VENDOR,
  type IdentityScrubOptions, type ScrubOutcome, type TurnsScrubOutcome,
} from "./identity-scrub.js";
export { createMinHasher, estimatedJaccard, lshParameters, type MinHasher, type LshParameters } from "./minhash.js";
export { findNearDuplicates, type NearDuplicateOptions, type NearDuplicateResult } from "./near-duplicates.js";
export { shingles, shingleHashes, jaccard, sortedJaccard, normalizeText, murmur3, fmix32, type ShingleKind } from "./shingles.js";
