// Mounts every plugin route under /api behind the one shared chain:
// auth → rate limit → body (streamed uploads) → upload checks → field validation → dispatch.
import express, { type Express } from 'express';
import type { AudioToolkit } from '../audio/toolkit.ts';
import type { PluginRuntime } from '../plugin/runtime.ts';
import type { RouteDecl } from '../plugin/types.ts';
import type { makeBodyReader } from './body.ts';
import type { Dispatcher } from './dispatch.ts';
import type { Guards } from './guards.ts';
import { negotiateFormat, withResponseFormat } from './response-format.ts';
import { makeUploadChecks } from './upload-checks.ts';
import { makeFieldValidation } from './validate-fields.ts';
import './request-types.ts';

/** `/tasks/{id}` → `/tasks/:id` (OpenAPI and declarations use braces, express colons). */
export function toExpressPath(path: string): string {
  return path.replace(/\{([a-z_]+)\}/g, ':$1');
}

export function routeId(route: Pick<RouteDecl, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

export function mountPluginRoutes(
  app: Express,
  deps: { runtime: PluginRuntime; guards: Guards; bodyReader: ReturnType<typeof makeBodyReader>; audio: AudioToolkit; dispatch: Dispatcher },
): void {
  const router = express.Router();
  for (const plugin of deps.runtime.plugins) {
    for (const route of plugin.decl.routes) {
      const fields = withResponseFormat(route, deps.audio.formats);
      const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete' | 'patch';
      router[method](
        toExpressPath(route.path),
        deps.guards.authenticate(),
        deps.guards.rateLimit(routeId(route), { limits: route.rateLimit }),
        deps.bodyReader(route),
        makeUploadChecks(route.uploads ?? []),
        makeFieldValidation({ fields }),
        async function invokeRoute(req, res) {
          const format = route.produces === 'audio' ? negotiateFormat(req, req.fields?.response_format, deps.audio.formats) : 'json';
          const input = { ...req.params, ...req.fields, files: req.files ?? {} };
          await deps.dispatch({ plugin, route, input, format }, req, res);
        },
      );
    }
  }
  app.use('/api', router);
}
