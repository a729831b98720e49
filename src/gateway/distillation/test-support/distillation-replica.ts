// One gateway replica for the distillation takeover tests: PostgreSQL for everything shared, its own
// data directory and replica id, a slow fake model, the built training worker, and short leases.
// Started as a real process so it can be killed mid-batch or mid-training.
import { createGatewayApp } from "../../app.js";
import { startGatewayServer } from "../../node-server.js";
import { echoModel } from "../../test-support/fake-models.js";

const [dataDir, replica, postgres, adminKey, leaseMs, workerScript] = process.argv.slice(2);
const app = await createGatewayApp({
  dataDir,
  config: { replica, storage: { postgres } },
  models: { "slow-echo": echoModel({ id: "slow-echo", delayMs: 10 }) },
  adminKey,
  distillation: { batchLeaseMs: Number(leaseMs), jobLeaseMs: Number(leaseMs), pollMs: 100, workerScript, workerPriority: 0 },
});
const server = await startGatewayServer(app);
process.stdout.write(JSON.stringify({ url: server.url }) + "\n");
