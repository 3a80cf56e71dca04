// The hub's Prometheus metrics, one registry per hub (tests run several hubs in one
// process). Counters and histograms are fed where the event happens (HTTP chain, ONNX
// session manager, task runner); gauges are read when scraped (metrics-surface.ts).
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** Latency buckets (seconds) from a health probe to a long synthesis. */
const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

export interface Metrics {
  readonly registry: Registry;
  readonly httpRequests: Counter<'method' | 'route' | 'status_class'>;
  readonly httpDuration: Histogram<'method' | 'route' | 'status_class'>;
  readonly uploadBytes: Counter<'route'>;
  readonly rateLimitRefusals: Counter<'route'>;
  readonly queueWait: Histogram<'queue' | 'name'>;
  readonly tasks: Counter<'plugin' | 'status'>;
  readonly graphRun: Histogram<'plugin' | 'graph'>;
  readonly evictions: Counter<'plugin'>;
  readonly workerRestarts: Counter<'pool'>;
}

export function makeMetrics(): Metrics {
  const registry = new Registry();
  // Process CPU, memory, handles, GC and event-loop lag (nodejs_eventloop_lag_seconds and its percentiles).
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({ name: 'hub_http_requests_total', help: 'HTTP requests answered, by route template and status class', labelNames: ['method', 'route', 'status_class'], registers }),
    httpDuration: new Histogram({ name: 'hub_http_request_duration_seconds', help: 'Time from request to the end of the answer', labelNames: ['method', 'route', 'status_class'], buckets: SECONDS, registers }),
    uploadBytes: new Counter({ name: 'hub_request_bytes_total', help: 'Bytes received for requests (headers and body: uploads, JSON)', labelNames: ['route'], registers }),
    rateLimitRefusals: new Counter({ name: 'hub_rate_limit_refusals_total', help: 'Requests refused with 429 by a rate limit', labelNames: ['route'], registers }),
    queueWait: new Histogram({ name: 'hub_queue_wait_seconds', help: 'Time a unit of work waited in a queue before it started (queue="task": per plugin lane; queue="graph": per plugin/graph)', labelNames: ['queue', 'name'], buckets: SECONDS, registers }),
    tasks: new Counter({ name: 'hub_tasks_total', help: 'Tasks that reached a final state', labelNames: ['plugin', 'status'], registers }),
    graphRun: new Histogram({ name: 'hub_graph_run_seconds', help: 'Time of one ONNX session run, measured in the worker', labelNames: ['plugin', 'graph'], buckets: SECONDS, registers }),
    evictions: new Counter({ name: 'hub_session_evictions_total', help: 'Loaded sessions unloaded to make room under the memory budget', labelNames: ['plugin'], registers }),
    workerRestarts: new Counter({ name: 'hub_worker_restarts_total', help: 'Worker threads that stopped unexpectedly and are replaced on next use', labelNames: ['pool'], registers }),
  };
}
