// The gateway's public API.
export { createGatewayApp, type GatewayApp, type GatewayAppOptions } from "./app.js";
export { startGatewayServer, type GatewayServer } from "./node-server.js";
export { Backends, defaultResolver, type Backend, type ModelResolver, type ModelSource } from "./backends.js";
export { applyEnvironment, builtinModelMap, configSchema, dataDirectory, loadConfigFile, parseConfig, type GatewayConfig, type GatewayConfigInput, type ModelEntry } from "./config.js";
export { databasePath, openDatabase, type Durability, type SqliteDatabase } from "./database.js";
export { GatewayError, type GatewayErrorCode, type GatewayErrorType } from "./errors.js";
export { ExchangeLog, type ExchangeEntry } from "./exchange-log.js";
export { GENESIS_HASH, rowHash, type ExchangeRow } from "./hash-chain.js";
export { KeyStore, keyPolicySchema, sha256Hex, type KeyPolicy, type KeyPolicyInput, type KeyRecord } from "./keys.js";
export { iterateLog, pruneLog, queryLog, usageByKey, verifyLog, type VerifyResult } from "./log-store.js";
export { loadWatermarkHook, type WatermarkHook } from "./watermark-hook.js";
export { DefenceHook, type DefenceHookOptions, type ModelProtection } from "./defence-hook.js";
export { defencesSchema, type DefencesConfig } from "./defence-config.js";
