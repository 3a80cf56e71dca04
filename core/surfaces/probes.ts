// Probes for container orchestrators, open like /api/health. Liveness: the process answers
// (restart it when this fails). Readiness: the plugins the config warms up have loaded
// (send it traffic only then); 503 with the reason while they load or when one failed.
import type { Surface } from '../http/surface.ts';
import { TAGS } from '../openapi/tags.ts';
import type { Warmup } from '../plugin/warmup.ts';

const warmupSchema = {
  type: 'object',
  properties: {
    pending: { type: 'array', items: { type: 'string' } },
    loaded: { type: 'array', items: { type: 'string' } },
    failed: { type: 'array', items: { type: 'object', properties: { plugin: { type: 'string' }, detail: { type: 'string' } } } },
  },
};

export function makeProbesSurface(deps: { warmup: Warmup }): Surface {
  return {
    name: 'probes',
    mount(app) {
      app.get('/api/health/live', function live(_req, res) {
        res.setHeader('Cache-Control', 'no-store');
        res.json({ status: 'alive' });
      });
      app.get('/api/health/ready', function ready(_req, res) {
        const { ready, pending, loaded, failed } = deps.warmup.state();
        res.setHeader('Cache-Control', 'no-store');
        if (ready) {
          res.json({ status: 'ready', warmup: { pending, loaded, failed } });
          return;
        }
        const reasons = [
          ...(pending.length ? [`warming up ${pending.join(', ')}`] : []),
          ...failed.map((f) => `${f.plugin} failed to load: ${f.detail}`),
        ];
        res.status(503).json({ detail: `not ready: ${reasons.join('; ')}`, warmup: { pending, loaded, failed } });
      });
    },
    openapi: {
      paths: {
        '/api/health/live': {
          get: {
            tags: [TAGS.utility.name],
            summary: 'Liveness probe: the process answers',
            operationId: 'health_live',
            security: [],
            responses: { '200': { description: 'Alive', content: { 'application/json': { schema: { type: 'object', properties: { status: { const: 'alive' } } } } } } },
          },
        },
        '/api/health/ready': {
          get: {
            tags: [TAGS.utility.name],
            summary: 'Readiness probe: the plugins configured to warm up have loaded',
            operationId: 'health_ready',
            security: [],
            responses: {
              '200': { description: 'Ready for traffic', content: { 'application/json': { schema: { type: 'object', properties: { status: { const: 'ready' }, warmup: warmupSchema } } } } },
              '503': {
                description: 'Still warming up, or a warm-up plugin failed to load (the detail says which and why)',
                content: { 'application/json': { schema: { type: 'object', required: ['detail'], properties: { detail: { type: 'string' }, warmup: warmupSchema } } } },
              },
            },
          },
        },
      },
    },
  };
}
