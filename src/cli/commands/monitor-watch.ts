// pedigree monitor watch: follows a running gateway through its admin API (GET /admin/log), scores
// each new exchange as it arrives and prints every alert once; --once catches up and exits.
import { MonitorError, OnlineMonitor, toMonitorExchange, type MonitorAlert } from "../../monitor/index.js";
import { UsageError } from "../errors.js";
import { note } from "../output.js";
import { alertLine } from "./monitor-format.js";
import { loadReference } from "./monitor-reference.js";
import { parseAction, parseFpr } from "./monitor-scan.js";

export interface WatchOptions {
  url: string;
  adminKey?: string;
  interval?: string;
  reference?: string;
  fpr?: string;
  action?: string;
  once?: boolean;
  json?: boolean;
}

const PAGE = 1000;

interface Page {
  data: Record<string, unknown>[];
  next_cursor?: string;
}

/** One page in commit order (a cursor, not ids: replicas commit out of id order). */
async function fetchPage(base: string, adminKey: string, cursor: string, limit = PAGE): Promise<Page> {
  const url = `${base}/admin/log?cursor=${encodeURIComponent(cursor)}&limit=${limit}`;
  const get = () => fetch(url, { headers: { authorization: `Bearer ${adminKey}` } });
  let response: Response;
  try {
    // A second try: a pooled keep-alive connection that the server closed while we were busy (the
    // reference takes seconds to build) fails once without anything being wrong.
    response = await get().catch(get);
  } catch (cause) {
    throw new MonitorError("MONITOR_GATEWAY_UNREACHABLE", `cannot reach the gateway at ${base}: ${(cause as Error).message}`, { cause });
  }
  if (!response.ok) throw new MonitorError("MONITOR_GATEWAY_UNREACHABLE", `the gateway at ${base} answered ${response.status} to GET /admin/log; check --admin-key (or PEDIGREE_ADMIN_KEY)`);
  return (await response.json()) as Page;
}

export async function watchCommand(options: WatchOptions): Promise<void> {
  const adminKey = options.adminKey ?? process.env.PEDIGREE_ADMIN_KEY;
  if (!adminKey) throw new UsageError("watch needs the gateway's admin key: --admin-key K or PEDIGREE_ADMIN_KEY");
  const intervalMs = Number(options.interval ?? 5) * 1000;
  if (!(intervalMs > 0)) throw new UsageError(`--interval must be a positive number of seconds, got '${options.interval}'`);
  const base = options.url.replace(/\/+$/, "").replace(/\/v1$/, "");
  await fetchPage(base, adminKey, "", 1); // fails fast on a wrong URL or key
  const monitor = new OnlineMonitor(await loadReference(options.reference ?? "builtin", options.json ? () => undefined : note), { fpr: parseFpr(options.fpr), action: parseAction(options.action) });
  const print = (alerts: MonitorAlert[]) => {
    for (const alert of alerts) process.stdout.write((options.json ? JSON.stringify(alert) : alertLine(alert)) + "\n");
  };
  let cursor = "";
  let rows = 0;
  let stopped = false;
  const stop = () => (stopped = true);
  process.once("SIGINT", stop);
  try {
    while (!stopped) {
      for (;;) {
        const page = await fetchPage(base, adminKey, cursor);
        cursor = page.next_cursor ?? cursor;
        rows += page.data.length;
        for (const row of page.data) {
          const exchange = toMonitorExchange(row);
          if (typeof exchange !== "string") print(monitor.observe(exchange));
        }
        if (page.data.length < PAGE) break;
      }
      print(monitor.sweep());
      if (options.once) break;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  } finally {
    process.removeListener("SIGINT", stop);
  }
  if (!options.json) note(`watched ${rows} rows; ${monitor.alerts.length} alerts`);
}
