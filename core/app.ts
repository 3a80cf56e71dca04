// Assembles the express app: common middleware, the core surfaces, the docs, every
// plugin route behind the shared chain, then the 404/405 fallback and the error handler.
import type { AwilixContainer } from 'awilix';
import express, { type Express } from 'express';
import type { AudioToolkit } from './audio/toolkit.ts';
import type { HubConfig } from './config/load-config.ts';
import type { Logger } from './log/logger.ts';
import { makeBodyIdleTimeout } from './http/body-idle.ts';
import { composeMiddleware } from './http/compose.ts';
import type { makeBodyReader } from './http/body.ts';
import type { Dispatcher } from './http/dispatch.ts';
import { makeErrorHandler } from './http/error-handler.ts';
import { makeFallback } from './http/fallback.ts';
import { rejectMalformedPath } from './http/path-check.ts';
import type { Guards } from './http/guards.ts';
import { mountPluginRoutes } from './http/mount-routes.ts';
import { makeRequestLog } from './http/request-log.ts';
import { makeHttpMetrics } from './metrics/http-metrics.ts';
import type { Metrics } from './metrics/metrics.ts';
import { makeRequestScope } from './http/request-scope.ts';
import { makeSecurityHeaders } from './http/security-headers.ts';
import type { Surface } from './http/surface.ts';
import { buildOpenApiDocument } from './openapi/build-document.ts';
import type { PluginRuntime } from './plugin/runtime.ts';
import { docsPaths, mountDocs } from './surfaces/docs.ts';

export interface AppDeps {
  container: AwilixContainer;
  config: HubConfig;
  logger: Logger;
  metrics: Metrics;
  version: string;
  runtime: PluginRuntime;
  guards: Guards;
  audio: AudioToolkit;
  bodyReader: ReturnType<typeof makeBodyReader>;
  dispatch: Dispatcher;
  surfaces: readonly Surface[];
  /** Middleware that runs before every route (CORS, ...), in order. */
  preRoute: readonly express.RequestHandler[];
}

export function buildApp(deps: AppDeps): { app: Express; openapi: () => Record<string, unknown> } {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.server.trustProxy);
  app.set('etag', false);

  let document: Record<string, unknown> | undefined;
  const openapi = () =>
    (document ??= buildOpenApiDocument({
      version: deps.version,
      plugins: deps.runtime.plugins,
      surfaces: [...deps.surfaces.flatMap((s) => (s.openapi ? [s.openapi] : [])), { paths: docsPaths(!deps.config.server.openDocs) }],
      audioFormats: deps.audio.formats,
      contentTypeOf: deps.audio.contentType,
    }));

  const ownShapes = deps.surfaces.flatMap((s) => s.ownErrorShapeUnder ?? []);
  app.use(
    composeMiddleware([
      makeRequestLog(deps), makeHttpMetrics(deps), makeBodyIdleTimeout(deps.config.server.timeouts.bodyIdleSeconds), makeRequestScope(deps.container),
      makeSecurityHeaders(deps.config.server), rejectMalformedPath({ skip: ownShapes }), ...deps.preRoute,
    ]),
  );
  for (const surface of deps.surfaces) surface.mount(app);
  mountDocs(app, openapi, deps.config.server.openDocs ? undefined : deps.guards.authenticate());
  mountPluginRoutes(app, deps);
  app.use(makeFallback(() => openapi().paths as Record<string, Record<string, unknown>>));
  app.use(makeErrorHandler(deps));
  return { app, openapi };
}
