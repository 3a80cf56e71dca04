// GET/HEAD /api/health: open to all, cheap, and honest about each plugin's weights.
import type { PluginRuntime } from '../plugin/runtime.ts';
import type { Surface } from '../http/surface.ts';

export function makeHealthSurface(deps: { runtime: PluginRuntime; version: string }): Surface {
  return {
    name: 'health',
    mount(app) {
      app.get('/api/health', function health(_req, res) {
        res.json({
          status: 'healthy',
          version: deps.version,
          plugins: deps.runtime.plugins.map((p) => ({ name: p.decl.name, task: p.decl.task, weights: deps.runtime.weightState(p.decl.name) })),
        });
      });
    },
    openapi: {
      tags: [{ name: 'Utility', description: 'Health and documentation' }],
      paths: {
        '/api/health': {
          get: {
            tags: ['Utility'],
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
                            properties: { name: { type: 'string' }, task: { type: 'string' }, weights: { type: 'string', enum: ['installed', 'smoke', 'missing', 'weight-free'] } },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
          head: { tags: ['Utility'], summary: 'Health check without a body', operationId: 'healthHead', security: [], responses: { '200': { description: 'The hub is up.' } } },
        },
      },
    },
  };
}
