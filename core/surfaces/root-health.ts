// GET/HEAD /health at the root, shared by the surfaces that mimic single-model servers
// (the voice studio's voicebox API, the OpenAI-compatible speech servers): one handler
// answering the union of their fields. A surface adds its fields with `contribute`; later
// contributions win on a name clash, so contribute the shared names (status) consistently.
import type { Express } from 'express';
import type { Surface } from '../http/surface.ts';

export type HealthFields = () => Record<string, unknown> | Promise<Record<string, unknown>>;

export interface RootHealth extends Surface {
  /** Adds fields to every /health answer; `paths` are extra paths answering the same (a surface's prefix). */
  contribute(name: string, fields: HealthFields, options?: { paths?: readonly string[]; schema?: Record<string, unknown> }): void;
}

export function makeRootHealth(deps: { version: string }): RootHealth {
  const contributors = new Map<string, HealthFields>();
  const paths = new Set(['/health']);
  const schemas: Record<string, unknown>[] = [];
  let app: Express | undefined;

  const answer = async () => {
    const body: Record<string, unknown> = { status: 'ok', version: deps.version };
    const parts = await Promise.all([...contributors.values()].map((fields) => fields()));
    for (const part of parts) Object.assign(body, part);
    return body;
  };
  const mountPath = (target: Express, path: string) =>
    target.get(path, async function rootHealth(_req, res) {
      res.setHeader('Cache-Control', 'no-store');
      res.json(await answer());
    });

  const surface: RootHealth = {
    name: 'root-health',
    contribute(name, fields, options = {}) {
      contributors.set(name, fields);
      if (options.schema) schemas.push(options.schema);
      for (const path of options.paths ?? []) {
        if (paths.has(path)) continue;
        paths.add(path);
        if (app) mountPath(app, path);
      }
    },
    mount(target) {
      app = target;
      for (const path of paths) mountPath(target, path);
    },
    get openapi() {
      const schema = { allOf: [{ type: 'object', required: ['status', 'version'], properties: { status: { type: 'string', examples: ['ok'] }, version: { type: 'string' } } }, ...schemas] };
      const item = {
        get: {
          tags: ['Utility'],
          summary: 'Health of the single-model-server surfaces (open; HEAD answers the same headers)',
          description: `The union of the fields of the surfaces served at the root: ${[...contributors.keys()].join(', ') || 'none'}.`,
          operationId: 'root_health',
          security: [],
          responses: { '200': { description: 'The hub is up', content: { 'application/json': { schema } } } },
        },
      };
      return { paths: Object.fromEntries([...paths].map((p, i) => [p, i === 0 ? item : { get: { ...item.get, operationId: `root_health_${i}` } }])) };
    },
  };
  return surface;
}
