// The dubbing surface: seed 001's VoiceDub API (dubs from an upload or a link, preprocess →
// generate through the seed's statuses, voices cloned from uploads, the public catalogue,
// per-key credits) over the hub's capabilities: `source-separation` when a separator has
// weights (else the weight-free fallback), `voice-conversion`, and the core pitch shifter,
// loudness and codecs. Mounted at /v1 before the OpenAI-compatible surface, which keeps
// GET /v1/voices and answers it with both documents' fields (see voicesWithCatalogue).
// Auth: `Authorization: Api-Key <key>` (any form the hub accepts); errors `{code, message}`.
import express, { type RequestHandler } from 'express';
import type { AudioToolkit } from '../../audio/toolkit.ts';
import type { HubConfig } from '../../config/load-config.ts';
import type { makeBodyReader } from '../../http/body.ts';
import type { Guards } from '../../http/guards.ts';
import { rejectMalformedPath } from '../../http/path-check.ts';
import type { Surface } from '../../http/surface.ts';
import type { Jobs } from '../../jobs/jobs.ts';
import type { Logger } from '../../log/logger.ts';
import type { SafeFetcher } from '../../net/safe-fetch.ts';
import { dubbingFallback, makeDubbingErrorHandler } from './errors.ts';
import { dubbingOpenApi } from './openapi.ts';
import { makeDubbingRoutes } from './routes.ts';
import type { DubbingWork } from './work.ts';

export interface DubbingSurfaceDeps {
  config: HubConfig;
  logger: Logger;
  guards: Guards;
  bodyReader: ReturnType<typeof makeBodyReader>;
  audio: AudioToolkit;
  jobs: Jobs;
  fetcher: SafeFetcher;
  dubbingWork: DubbingWork;
}

type Method = 'GET' | 'POST' | 'PUT';
/** auth: the key check and rate limits; poll: counted in the roomy task-route window (status polling). */
interface DubbingRoute {
  readonly method: Method;
  readonly path: string;
  readonly handler: string;
  readonly auth: 'key' | 'admin' | 'none';
  readonly poll?: boolean;
  readonly body?: boolean;
}

export const DUBBING_ROUTES: readonly DubbingRoute[] = [
  { method: 'GET', path: '/me', handler: 'me', auth: 'key', poll: true },
  { method: 'POST', path: '/me/dubs', handler: 'createDub', auth: 'key', body: true },
  { method: 'GET', path: '/me/dubs/:dubId', handler: 'getDub', auth: 'key', poll: true },
  { method: 'POST', path: '/me/dubs/:dubId/preprocess', handler: 'preprocess', auth: 'key' },
  { method: 'POST', path: '/me/dubs/:dubId/generate', handler: 'generate', auth: 'key' },
  { method: 'GET', path: '/me/dubs/:dubId/audio', handler: 'dubAudio', auth: 'key', poll: true },
  { method: 'POST', path: '/me/voices', handler: 'createVoice', auth: 'key', body: true },
  { method: 'GET', path: '/me/voices/:voiceId', handler: 'getVoice', auth: 'key', poll: true },
  { method: 'POST', path: '/me/voices/:voiceId/clone', handler: 'clone', auth: 'key' },
  { method: 'PUT', path: '/uploads/:token', handler: 'upload', auth: 'none' },
  { method: 'PUT', path: '/voices/:voiceId', handler: 'publish', auth: 'admin', body: true },
  { method: 'GET', path: '/voices/:voiceId/avatar.webp', handler: 'avatar', auth: 'none' },
];

export function makeDubbingSurface(deps: DubbingSurfaceDeps): Surface {
  const handlers = makeDubbingRoutes({ work: deps.dubbingWork, jobs: deps.jobs, fetcher: deps.fetcher, audio: deps.audio, maxUploadBytes: deps.config.uploads.classes.content.maxBytes });
  return {
    name: 'dubbing',
    mount(app) {
      const router = express.Router();
      router.use(['/me', '/uploads', '/voices/'], rejectMalformedPath());
      for (const route of DUBBING_ROUTES) {
        const handler = handlers[route.handler];
        if (!handler) throw new Error(`dubbing route ${route.method} ${route.path}: no handler '${route.handler}'`);
        const id = `${route.method} /v1${route.path.replace(/:([A-Za-z]+)/g, '{$1}')}`;
        const chain: RequestHandler[] = [];
        if (route.auth !== 'none') {
          chain.push(deps.guards.authenticate(), deps.guards.rateLimit(id, route.poll ? { scope: 'tasks' } : {}));
          if (route.auth === 'admin') chain.push(deps.guards.requireRole('admin'));
        }
        if (route.body) chain.push(deps.bodyReader({ method: route.method }));
        router[route.method.toLowerCase() as 'get' | 'post' | 'put'](route.path, ...chain, handler);
      }
      router.use(['/me', '/uploads'], dubbingFallback);
      router.use(makeDubbingErrorHandler({ logger: deps.logger }));
      app.use('/v1', router);
    },
    ownErrorShapeUnder: ['/v1/me', '/v1/uploads'],
    openapi: dubbingOpenApi(),
  };
}
