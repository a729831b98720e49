// One gateway replica for the reliability test: PostgreSQL for keys and the log, Redis for limits,
// its own data directory and replica id, a fake model. Started as a real process so it can be killed.
import { createGatewayApp } from "../app.js";
import { startGatewayServer } from "../node-server.js";
import { echoModel } from "./fake-models.js";

const [dataDir, replica, postgres, redis, redisPrefix, adminKey] = process.argv.slice(2);
const app = await createGatewayApp({
  dataDir,
  config: { replica, storage: { postgres, redis, redis_prefix: redisPrefix } },
  models: { echo: echoModel({ delayMs: 2 }) },
  adminKey,
});
const server = await startGatewayServer(app);
process.stdout.write(JSON.stringify({ url: server.url }) + "\n");
