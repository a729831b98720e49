// The Node adapter: serves the fetch-style app over node:http and shuts down gracefully (stop
// accepting, let requests and streams in flight finish, then close the stores). Chat completions
// take the fast path of node-chat.ts; every other route goes through hono's Node adapter.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import type { GatewayApp } from "./app.js";
import { GatewayError } from "./errors.js";
import { isChatCompletionsCall, nodeRequestSource, writeReply } from "./node-chat.js";

export interface GatewayServer {
  url: string;
  port: number;
  server: Server;
  /** Graceful shutdown; resolves when the app's stores are closed. */
  close(timeoutMs?: number): Promise<void>;
}

export function startGatewayServer(app: GatewayApp, options: { host?: string; port?: number } = {}): Promise<GatewayServer> {
  const host = options.host ?? "127.0.0.1";
  return new Promise((resolve, rejectWith) => {
    const reject = (error: unknown) => rejectWith(listenError(error, host, options.port ?? 0));
    const viaHono = getRequestListener((request) => app.fetch(request), { hostname: host });
    const server = createServer((req, res) => {
      if (!isChatCompletionsCall(req)) return void viaHono(req, res);
      app.chatCompletions(nodeRequestSource(req, res)).then((reply) => writeReply(res, reply)).catch((error: unknown) => res.destroy(error as Error));
    });
    server.listen(options.port ?? 0, host, () => {
      const info = server.address() as AddressInfo;
      server.off("error", reject);
      const shownHost = info.family === "IPv6" ? `[${info.address}]` : info.address;
      let closing: Promise<void> | null = null;
      resolve({
        url: `http://${shownHost}:${info.port}`,
        port: info.port,
        server,
        close(timeoutMs) {
          closing ??= (async () => {
            const stopped = new Promise<void>((done) => server.close(() => done()));
            server.closeIdleConnections();
            await app.close(timeoutMs);
            server.closeAllConnections();
            await stopped;
          })();
          return closing;
        },
      });
    });
    server.once("error", reject);
  });
}

function listenError(error: unknown, host: string, port: number): GatewayError {
  const code = (error as NodeJS.ErrnoException).code;
  const why = code === "EADDRINUSE" ? "the port is in use (another server, perhaps another gateway); stop it or choose another --port"
    : code === "EACCES" ? "this user may not listen there; choose a --port above 1023"
    : `${(error as Error).message}; check --host and --port`;
  return new GatewayError("LISTEN_FAILED", `cannot listen on ${host}:${port}: ${why}`, { status: 500, type: "server_error", cause: error });
}
