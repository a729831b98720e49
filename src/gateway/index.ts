// The gateway's public API.
export { createGatewayApp, type GatewayApp, type GatewayAppOptions } from "./app.js";
export { startGatewayServer, type GatewayServer } from "./node-server.js";
export { Backends, defaultResolver, type Backend, type ModelResolver, type ModelSource } from "./backends.js";
export { applyEnvironment, builtinModelMap, configSchema, dataDirectory, loadConfigFile, parseConfig, type GatewayConfig, type GatewayConfigInput, type ModelEntry } from "./config.js";
export { GatewayError, type GatewayErrorCode, type GatewayErrorType } from "./errors.js";
export {
  databasePath, defaultReplicaId, GENESIS_HASH, keyPolicySchema, openDatabase, openStore, PostgresStore, rowHash, SCHEMA_VERSION, sha256Hex, SqliteStore, verifySqliteLog,
  type Durability, type ExchangeEntry, type GatewayStore, type KeyPolicy, type KeyPolicyInput, type KeyRecord, type KeyStore, type LogEvent, type LogReader, type LogRow,
  type LogWriter, type SqliteDatabase, type VerifyResult,
} from "./store/index.js";
export { GatewayMetrics, type AlertObservation, type ExchangeObservation } from "./metrics.js";
export { keyProtection, modelProtection, type ModelProtection } from "./model-protection.js";
export { loadWatermarkHook, type WatermarkHook } from "./watermark-hook.js";
export { MonitorHook, type MonitorHookOptions } from "./monitor-hook.js";
export { DefenceHook, type DefenceHookOptions, type ModelProtection as KeyProtection } from "./defence-hook.js";
export { defencesSchema, type DefencesConfig } from "./defence-config.js";
