// pedigree serve: the OpenAI-compatible gateway. Without a config it serves the built-in models with
// its data in ./.pedigree (or --data / PEDIGREE_HOME). SIGINT/SIGTERM drain requests in flight.
import { join } from "node:path";
import type { Command } from "commander";
import { createGatewayApp, takeDataLock, type GatewayApp } from "../../gateway/app.js";
import { builtinModelMap, dataDirectory } from "../../gateway/config.js";
import { loadGatewayConfig, type DataOptions } from "../../gateway/data-options.js";
import { startGatewayServer } from "../../gateway/node-server.js";
import { loadWatermarkHook, type WatermarkHook } from "../../gateway/watermark-hook.js";
import { DefenceHook } from "../../gateway/defence-hook.js";
import { UsageError } from "../errors.js";
import { emit, note } from "../output.js";

interface ServeOptions extends DataOptions {
  monitor?: string | true;
  monitorFpr?: string;
  monitorAction?: string;
  port?: string;
  host?: string;
  json?: boolean;
  replica?: string;
}

export function configure(command: Command): void {
  command
    .option("--config <file>", "config file (YAML or JSON)")
    .option("--port <n>", "port (default 8787; 0 picks a free one)")
    .option("--host <host>", "interface to listen on (default 127.0.0.1)")
    .option("--data <dir>", "data directory (default ./.pedigree or PEDIGREE_HOME)")
    .option("--replica <id>", "this server's replica id, the name of its chain in the log (default: host name + data directory digest)")
    .option("--json", "print one JSON document once listening")
    .option("--monitor [reference]", "watch for extraction campaigns (GET /admin/alerts), calibrated on builtin or an exported benign log")
    .option("--monitor-fpr <rate>", "the monitor's false-positive rate per benign key per day", "0.001")
    .option("--monitor-action <action>", "what an alert that survives Holm does: flag, throttle, watermark, suspend", "flag")
    .action(async (options: ServeOptions) => {
      const config = loadGatewayConfig(options);
      if (options.port !== undefined) {
        const port = Number(options.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number, got '${options.port}'`);
        config.port = port;
      }
      if (options.host) config.host = options.host;
      if (options.replica !== undefined) {
        if (!/^[A-Za-z0-9._-]{1,100}$/.test(options.replica)) throw new UsageError(`--replica takes letters, digits, '.', '_' and '-' (at most 100), got '${options.replica}'`);
        config.replica = options.replica;
      }
      const dataDir = dataDirectory(config);
      if (config.storage.redis && !config.storage.postgres) note("storage.redis (PEDIGREE_REDIS_URL) is used by replicas on PostgreSQL; a single server on SQLite keeps its limits in memory");
      const models = config.models ?? builtinModelMap();
      if (Object.keys(models).length === 0) note("no models configured and no built-in models installed; add `models:` to a config file");
      // The lock comes first: a second server must stop before it creates anything in the directory.
      const dataLock = takeDataLock(dataDir);
      let app: GatewayApp;
      let watermark: WatermarkHook | null = null;
      const adminKey = process.env.PEDIGREE_ADMIN_KEY;
      try {
        if (config.watermark.enabled) {
          const loaded = await loadWatermarkHook(config.watermark.key_file ?? join(dataDir, "watermark.key"), config.watermark.scheme);
          if (loaded.note) note(loaded.note);
          watermark = loaded.hook;
        } else note("watermark disabled in the config: answers to every key, licensed or not, go out unwatermarked");
        const monitor = options.monitor ? await (await import("./monitor-reference.js")).serveMonitor(options.monitor, options.monitorFpr, options.monitorAction, note) : null;
        app = await createGatewayApp({ dataDir, dataLock, config: { ...config, data: dataDir }, models, watermark, adminKey: adminKey || undefined, monitor });
      } catch (error) {
        dataLock.release();
        throw error;
      }
      // Defences are checked against their models before the first request: all of them or no start.
      try {
        app.context.defence = await DefenceHook.load({ config: config.defences, sources: models, backends: app.context.backends, watermark });
      } catch (error) {
        await app.close(0);
        throw error;
      }
      for (const line of app.context.defence.warnings) note(line);
      const server = await startGatewayServer(app, { host: config.host, port: config.port }).catch(async (error: unknown) => {
        await app.close(0);
        throw error;
      });
      const storage = app.context.store.kind === "postgres" ? `postgres${config.storage.redis ? " + redis" : ""}` : "sqlite";
      const summary = { url: `${server.url}/v1`, port: server.port, data: dataDir, storage, replica: app.context.replica, models: Object.keys(models), watermark_key_id: watermark?.keyId ?? null,
        protection: Object.fromEntries(Object.keys(models).map((name) => [name, app.context.defence!.protection(name)])), admin: Boolean(adminKey || config.admin_key_sha256) };
      emit(options, summary, () => `listening on ${summary.url} (models: ${summary.models.join(", ") || "none"}; data: ${dataDir}; storage: ${storage}; replica: ${summary.replica})`);
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          note(`${signal}: finishing requests in flight…`);
          process.off("SIGINT", stop).off("SIGTERM", stop);
          void server.close().then(resolve);
        };
        process.on("SIGINT", stop).on("SIGTERM", stop);
      });
      note("stopped");
    });
}
