// A gateway process for the crash test: serves a fake model on a data directory and prints its URL.
// Started as a real child process (bundled by the test) so that it can be killed with SIGKILL.
import { createGatewayApp } from "../app.js";
import { startGatewayServer } from "../node-server.js";
import { echoModel } from "./fake-models.js";

const [dataDir, adminKey] = process.argv.slice(2);
const app = await createGatewayApp({ dataDir, models: { echo: echoModel({ delayMs: 2 }) }, adminKey });
const server = await startGatewayServer(app);
process.stdout.write(JSON.stringify({ url: server.url }) + "\n");
