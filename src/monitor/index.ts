// The monitor's public API: features and calibrated alerts over the exchange log, the online hook
// the gateway calls, the MMD window detector for comparison, and the traffic simulator.
export { MonitorError, MONITOR_ERROR_CODES, type MonitorErrorCode } from "./errors.js";
export { toMonitorExchange, type MonitorExchange } from "./exchange.js";
export { FEATURE_NAMES, type FeatureName, type Features } from "./features.js";
export { buildReference, DEFAULT_LOOKS, type Reference, type ReferenceOptions } from "./reference.js";
export { referenceFromJson, referenceToJson, REFERENCE_FORMAT, type ReferenceJson } from "./reference-file.js";
export { scan, scoreKeyDay, type MonitorAlert, type ScanResult, type KeyDayResult } from "./scan.js";
export { DEFAULT_POLICY, MONITOR_ACTIONS, isMonitorAction, type MonitorAction, type MonitorPolicy } from "./policy.js";
export { embed, EMBEDDING_DIMENSIONS } from "./text-features.js";
export { simulateTraffic, DEFAULT_START, type CampaignSpec, type PromptPools, type SimulatedKey, type SimulatedRequest, type Simulation, type SimulationOptions } from "./simulate/traffic.js";
export { directExchanges } from "./simulate/direct.js";
export { DEFAULT_WORDING, HELD_OUT_WORDING, type CampaignWording } from "./simulate/templates.js";
export { replayThroughGateway, type ReplayOptions, type ReplaySummary } from "./simulate/replay.js";
export { OnlineMonitor } from "./online.js";
export { syntheticPools } from "./simulate/synthetic-pools.js";
export { fitMmdDetector, type MmdDetector } from "./mmd.js";
