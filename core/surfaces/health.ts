// GET/HEAD /api/health: open to all, cheap, and honest about each plugin's weights.
import { WEIGHT_STATES } from '../onnx/providers.ts';
import type { PluginRuntime } from '../plugin/runtime.ts';
import type { Surface } from '../http/surface.ts';
import { TAGS } from '../openapi/tags.ts';

/** Weight states come from the file system; probes that poll many times a second share one look. */
const STATES_FRESH_MS = 500;

export function makeHealthSurface(deps: { runtime: PluginRuntime; version: string }): Surface {
  let cached: { at: number; body: string } | undefined;
  const body = () => {
    const now = performance.now();
    if (!cached || now - cached.at > STATES_FRESH_MS) {
      const plugins = deps.runtime.plugins.map((p) => ({ name: p.decl.name, task: p.decl.task, weights: deps.runtime.weightState(p.decl.name) }));
      cached = { at: now, body: JSON.stringify({ status: 'healthy', version: deps.version, plugins }) };
    }
    return cached.body;
  };
  return {
    name: 'health',
    mount(app) {
      app.get('/api/health', function health(_req, res) {
        res.type('application/json').send(body());
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
            },
          },
          head: { tags: [TAGS.utility.name], summary: 'Health check without a body', operationId: 'healthHead', security: [], responses: { '200': { description: 'The hub is up.' } } },
        },
      },
    },
  };
}
