// GET /metrics in the Prometheus text format. On the hub's own port it takes the admin key
// (the numbers describe every key's traffic); with `metrics.port` set it is served open on a
// separate address (default host 127.0.0.1) meant for the scraper only, and not on the hub's port.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestHandler } from 'express';
import { Gauge } from 'prom-client';
import type { HubConfig } from '../config/load-config.ts';
import type { Guards } from '../http/guards.ts';
import type { Surface } from '../http/surface.ts';
import type { TaskStore } from '../jobs/task-store.ts';
import type { GraphProvider } from '../onnx/providers.ts';
import { KEY_SECURITY } from '../openapi/components.ts';
import { TAGS } from '../openapi/tags.ts';
import type { PluginRuntime } from '../plugin/runtime.ts';
import type { Metrics } from './metrics.ts';

export interface MetricsSurface extends Surface {
  /** Starts the separate listener when the config asks for one; its URL, or undefined. */
  listen(): Promise<string | undefined>;
  close(): Promise<void>;
}

export function makeMetricsSurface(deps: { config: HubConfig; metrics: Metrics; guards: Guards; runtime: PluginRuntime; graphs: GraphProvider; taskStore: TaskStore }): MetricsSurface {
  const { registry } = deps.metrics;
  const settings = deps.config.metrics ?? { enabled: true };
  const separate = settings.enabled && settings.port !== undefined;
  let server: Server | undefined;

  new Gauge({
    name: 'hub_queue_depth',
    help: 'Units of work waiting in a queue (queue="task": per plugin lane; queue="graph": per plugin/graph)',
    labelNames: ['queue', 'name'],
    registers: [registry],
    collect() {
      this.reset();
      const lanes = new Map<string, number>();
      for (const task of deps.taskStore.withStatus('queued')) lanes.set(task.plugin, (lanes.get(task.plugin) ?? 0) + 1);
      for (const [lane, count] of lanes) this.set({ queue: 'task', name: lane }, count);
      for (const plugin of deps.runtime.plugins) {
        for (const graph of deps.graphs.status(plugin)) this.set({ queue: 'graph', name: `${plugin.decl.name}/${graph.name}` }, graph.queued);
      }
    },
  });
  new Gauge({
    name: 'hub_session_resident_bytes',
    help: 'Bytes the loaded ONNX sessions of a plugin count against the session memory budget',
    labelNames: ['plugin'],
    registers: [registry],
    collect() {
      this.reset();
      for (const plugin of deps.runtime.plugins) {
        const bytes = deps.graphs.status(plugin).reduce((sum, graph) => sum + graph.residentBytes, 0);
        if (bytes > 0) this.set({ plugin: plugin.decl.name }, bytes);
      }
    },
  });

  const scrape: RequestHandler = async function metrics(_req, res) {
    res.setHeader('Content-Type', registry.contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.send(await registry.metrics());
  };

  return {
    name: 'metrics',
    mount(app) {
      if (!settings.enabled || separate) return;
      app.get('/metrics', deps.guards.authenticate(), deps.guards.requireRole('admin'), scrape);
    },
    get openapi() {
      if (!settings.enabled || separate) return undefined;
      return {
        paths: {
          '/metrics': {
            get: {
              tags: [TAGS.utility.name],
              summary: 'Prometheus metrics (admin key)',
              description: 'Request, queue, task, graph, session and process metrics in the Prometheus text format; see docs/operations.md for the names.',
              operationId: 'metrics',
              security: KEY_SECURITY,
              responses: {
                '200': { description: 'Prometheus text exposition format', content: { 'text/plain': { schema: { type: 'string' } } } },
                '401': { $ref: '#/components/responses/Unauthorized' },
                '403': { $ref: '#/components/responses/Forbidden' },
              },
            },
          },
        },
      };
    },
    async listen() {
      if (!separate) return undefined;
      server = createServer((req, res) => {
        if (req.method === 'GET' && req.url?.split('?', 1)[0] === '/metrics') {
          void registry.metrics().then((text) => res.writeHead(200, { 'Content-Type': registry.contentType, 'Cache-Control': 'no-store' }).end(text));
        } else res.writeHead(404, { 'Content-Type': 'text/plain' }).end('only GET /metrics is served here\n');
      });
      const opened = server;
      await new Promise<void>((resolve, reject) => {
        opened.once('error', reject);
        opened.listen(settings.port, settings.host ?? '127.0.0.1', () => resolve());
      });
      const address = opened.address() as AddressInfo;
      return `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}/metrics`;
    },
    async close() {
      const open = server;
      server = undefined;
      if (open) await new Promise<void>((resolve) => open.close(() => resolve()));
    },
  };
}
