// Prometheus metrics for one gateway app, on its own prom-client Registry (never the global one, so
// two apps in one process, as in tests, keep separate counts). Exchanges are counted where they are
// logged (gateway-context.ts), upstream failures where they are mapped, and monitor alerts by
// whoever raises them (`recordAlert`).
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** Seconds; from a sub-millisecond cached answer to a long generation. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
/** Seconds; a group commit on SQLite takes well under a millisecond, a remote database more. */
const COMMIT_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

export interface ExchangeObservation {
  model: string;
  status: number;
  decision: string;
  promptTokens: number;
  completionTokens: number;
  /** `performance.now()` when the request arrived. */
  startedAt: number;
}

export interface AlertObservation {
  scope: string;
  action: string;
}

export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({ name: "pedigree_gateway_requests_total", help: "Chat completion requests logged, by model, HTTP status and policy decision.", labelNames: ["model", "status", "decision"] as const, registers: [this.registry] });
  private readonly promptTokens = new Counter({ name: "pedigree_gateway_prompt_tokens_total", help: "Prompt tokens of logged chat completions.", labelNames: ["model"] as const, registers: [this.registry] });
  private readonly completionTokens = new Counter({ name: "pedigree_gateway_completion_tokens_total", help: "Completion tokens of logged chat completions.", labelNames: ["model"] as const, registers: [this.registry] });
  private readonly latency = new Histogram({ name: "pedigree_gateway_request_duration_seconds", help: "Time from a request's arrival until its exchange is committed to the log (streams: until the last token).", labelNames: ["model", "status"] as const, buckets: LATENCY_BUCKETS, registers: [this.registry] });
  private readonly upstreamErrors = new Counter({ name: "pedigree_gateway_upstream_errors_total", help: "Failures of the backend behind a model, by error code (upstream_timeout, upstream_error, …).", labelNames: ["model", "code"] as const, registers: [this.registry] });
  private readonly logCommit = new Histogram({ name: "pedigree_gateway_log_commit_seconds", help: "Time from handing an exchange to the log until it is durably committed (group commit included).", buckets: COMMIT_BUCKETS, registers: [this.registry] });
  private readonly logFailures = new Counter({ name: "pedigree_gateway_log_failures_total", help: "Exchanges the log failed to commit (their clients got an error, not a 200).", registers: [this.registry] });
  private readonly alerts = new Counter({ name: "pedigree_monitor_alerts_total", help: "Extraction-campaign alerts raised by the monitor, by scope (key, cross_key) and action.", labelNames: ["scope", "action"] as const, registers: [this.registry] });

  constructor(options: { processMetrics?: boolean } = {}) {
    // Process CPU, memory, event-loop lag and GC, read at scrape time (prom-client's defaults).
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  /** One exchange handed to the log; `committed` settles when the log has it (or failed to). */
  recordExchange(exchange: ExchangeObservation, committed: Promise<unknown>): void {
    const handedAt = performance.now();
    const status = String(exchange.status);
    this.requests.inc({ model: exchange.model, status, decision: exchange.decision });
    if (exchange.promptTokens > 0) this.promptTokens.inc({ model: exchange.model }, exchange.promptTokens);
    if (exchange.completionTokens > 0) this.completionTokens.inc({ model: exchange.model }, exchange.completionTokens);
    committed.then(
      () => {
        const done = performance.now();
        this.logCommit.observe((done - handedAt) / 1000);
        this.latency.observe({ model: exchange.model, status }, (done - exchange.startedAt) / 1000);
      },
      () => this.logFailures.inc(),
    );
  }

  recordUpstreamError(model: string, code: string): void {
    this.upstreamErrors.inc({ model, code: code.toLowerCase() });
  }

  /** For the monitor: one call per alert it raises. */
  recordAlert(alert: AlertObservation): void {
    this.alerts.inc({ scope: alert.scope, action: alert.action });
  }

  /** The exposition text and its content type (Prometheus text format 0.0.4). */
  async exposition(): Promise<{ body: string; contentType: string }> {
    return { body: await this.registry.metrics(), contentType: this.registry.contentType };
  }
}
