// GET/HEAD /api/health: open to all, cheap, and honest about each plugin's weights.
import { WEIGHT_STATES } from '../onnx/providers.ts';
import type { PluginRuntime } from '../plugin/runtime.ts';
import type { Surface } from '../http/surface.ts';
import { TAGS } from '../openapi/tags.ts';

/** Weight states come from the file system; probes that poll many times a second share one look. */
const STATES_FRESH_MS = 500;
/**
 * Older states than fresh but younger than this are answered as they are and looked at again
 * right after the answer: a probe polled every few seconds never waits for the look (a
 * hundred file stats, 2 ms on a busy event loop). Older ones are looked at before answering,
 * so a rare probe (or a person after installing weights) sees the states as they are now.
 */
const STATES_SERVED_STALE_MS = 5000;

/** Something outside the process the hub needs (Redis in scale-out mode). */
export interface HealthCheck {
  /** Undefined while it is fine; otherwise what is wrong and what it breaks. */
  problem(): string | undefined;
}

export function makeHealthSurface(
  deps: { runtime: PluginRuntime; version: string; healthChecks: readonly HealthCheck[] },
  // Tests shorten these; the container passes only `deps`.
  { freshMs = STATES_FRESH_MS, servedStaleMs = STATES_SERVED_STALE_MS }: { freshMs?: number; servedStaleMs?: number } = {},
): Surface {
  // The healthy answer's bytes are kept with the states it shows: a probe polled many times a
  // second gets the same bytes without serialising or encoding them again.
  let cached: { at: number; plugins: unknown; healthy: Buffer } | undefined;
  let lookScheduled = false;
  const look = () => {
    const plugins = deps.runtime.plugins.map((p) => ({ name: p.decl.name, task: p.decl.task, weights: deps.runtime.weightState(p.decl.name) }));
    return { at: performance.now(), plugins, healthy: Buffer.from(JSON.stringify({ status: 'healthy', version: deps.version, plugins })) };
  };
  const body = () => {
    const age = cached ? performance.now() - cached.at : Infinity;
    if (!cached || age > servedStaleMs) cached = look();
    else if (age > freshMs && !lookScheduled) {
      lookScheduled = true;
      setImmediate(() => {
        lookScheduled = false;
        cached = look();
      });
    }
    const states = cached;
    const problems = deps.healthChecks.map((c) => c.problem()).filter((p) => p !== undefined);
    // A load balancer takes a degraded process out of rotation; `detail` tells the operator why.
    if (problems.length) return { status: 503, bytes: Buffer.from(JSON.stringify({ status: 'degraded', detail: problems.join('; '), version: deps.version, plugins: states.plugins })) };
    return { status: 200, bytes: states.healthy };
  };
  return {
    name: 'health',
    mount(app) {
      // Node's own calls, not express's status/type/send: those cost a probe about 8 µs of
      // validation, type lookup and charset handling for a body that is already bytes.
      app.get('/api/health', function health(req, res) {
        const { status, bytes } = body();
        res.statusCode = status;
        res.setHeader('Content-Type', 'application/json; charset=utf-8');
        res.setHeader('Content-Length', bytes.length);
        res.end(req.method === 'HEAD' ? undefined : bytes);
      });
    },
    openapi: {
      paths: {
        '/api/health': {
          get: {
            tags: [TAGS.utility.name],
            summary: 'Health check',
            operationId: 'health',
            security: [],
            responses: {
              '200': {
                description: 'The hub is up; each plugin with its task and weight state.',
                content: {
                  'application/json': {
                    schema: {
                      type: 'object',
                      required: ['status', 'version'],
                      properties: {
                        status: { type: 'string', const: 'healthy' },
                        version: { type: 'string' },
                        plugins: {
                          type: 'array',
                          items: {
                            type: 'object',
                            properties: { name: { type: 'string' }, task: { type: 'string' }, weights: { type: 'string', enum: [...WEIGHT_STATES] } },
                          },
                        },
                      },
                    },
                  },
                },
              },
              '503': {
                description: 'Scale-out mode only: a service the hub shares with its other processes (Redis) is unreachable.',
                content: {
                  'application/json': {
                    schema: {
                      type: 'object',
                      required: ['status', 'detail', 'version'],
                      properties: { status: { type: 'string', const: 'degraded' }, detail: { type: 'string' }, version: { type: 'string' }, plugins: { type: 'array' } },
                    },
                  },
                },
              },
            },
          },
          head: { tags: [TAGS.utility.name], summary: 'Health check without a body', operationId: 'healthHead', security: [], responses: { '200': { description: 'The hub is up.' } } },
        },
      },
    },
  };
}
