// The distillation room's public API: harvest, curate, train, evaluate and export.
export * from "./data/index.js";
export { harvest, harvestBatch, batchStatePath, loadPromptFile, parsePromptText, withUniqueIds, parsePriceTable, type BatchHarvestOptions, type BatchHarvestSummary, type HarvestOptions, type HarvestSummary, type Prompt } from "./harvest/index.js";
export { curateRows, scrubIdentity, type CurateOptions, type CurateReport, type CurateResult } from "./curate/index.js";
export { evaluateTask, compareWithTeacher, claimedIdentities, tokenF1, type EvalResult, type EvaluateOptions, type TeacherComparison } from "./evaluate/index.js";
export * from "./export/index.js";
export { trainStudent, type StudentLoss, type TrainStudentOptions, type TrainStudentResult } from "./train/train-student.js";
export { studentShape, studentSizeNames, setTrainingThreads } from "./train/student-sizes.js";
export { referenceLogLikelihood, normalizeText } from "./evaluate/index.js";
