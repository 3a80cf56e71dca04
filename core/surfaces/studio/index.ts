// The voice studio: seed 000's voicebox API (voice profiles with reference samples,
// generation from a profile, searchable history, audio, transcription, model management)
// over the hub's capabilities — any plugin whose `tts` capability clones from a reference
// clip, and any `asr` plugin. Mounted at the configured prefix (the root by default),
// behind the hub's key check and rate limits, with the seed's error shapes.
import { join } from 'node:path';
import express, { type RequestHandler } from 'express';
import type { AudioToolkit } from '../../audio/toolkit.ts';
import type { HubConfig } from '../../config/load-config.ts';
import { makeBodyReader } from '../../http/body.ts';
import type { Guards } from '../../http/guards.ts';
import type { Surface } from '../../http/surface.ts';
import type { Jobs } from '../../jobs/jobs.ts';
import { keyFromQuery } from '../../jobs/key-from-query.ts';
import type { Logger } from '../../log/logger.ts';
import type { DownloadManager } from '../../onnx/download-manager.ts';
import type { GraphProvider, WeightInspector } from '../../onnx/providers.ts';
import type { PluginRuntime } from '../../plugin/runtime.ts';
import type { CapabilityRegistry } from '../../capabilities.ts';
import type { UploadDecl } from '../../plugin/types.ts';
import type { Db } from '../../store/database.ts';
import type { RootHealth } from '../root-health.ts';
import { makeEngines } from './engines.ts';
import { makeStudioFiles } from './files.ts';
import { makeGenerationRoutes } from './generation-routes.ts';
import { studioHealth, STUDIO_HEALTH_SCHEMA } from './health-fields.ts';
import { makeHistoryRoutes } from './history-routes.ts';
import { makeModelRoutes, studioModels, type LoadedSize } from './model-routes.ts';
import { studioOpenApi } from './openapi.ts';
import { makeProfileRoutes } from './profile-routes.ts';
import { STUDIO_ROUTES } from './routes.ts';
import { makeStudioStore } from './store.ts';
import { makeStudioErrorHandler } from './studio-errors.ts';

export interface StudioSurfaceDeps {
  config: HubConfig;
  logger: Logger;
  version: string;
  db: Db;
  runtime: PluginRuntime;
  /** The plugins' capabilities: this process's own, or stand-ins that run on a worker (`--role api`). */
  capabilities: CapabilityRegistry;
  weights: WeightInspector;
  graphs: GraphProvider;
  downloads: DownloadManager;
  audio: AudioToolkit;
  guards: Guards;
  jobs: Jobs;
  rootHealth: RootHealth;
}

const SAMPLE_UPLOAD: readonly UploadDecl[] = [{ name: 'file', class: 'reference', required: false }];
const TRANSCRIBE_UPLOAD: readonly UploadDecl[] = [{ name: 'file', class: 'content', required: false }];

export function makeStudioSurface(deps: StudioSurfaceDeps): Surface {
  const settings = deps.config.studio;
  const prefix = settings.prefix;
  const store = makeStudioStore(deps.db);
  const files = makeStudioFiles(join(deps.config.dataDir, 'studio'));
  // Boot: what a crash left between a file write and its row insert goes now.
  const swept = files.sweep(store.files());
  if (swept) deps.logger.warn('studio: removed audio files no row referred to (left by an interrupted write)', { count: swept });

  const engines = makeEngines({ capabilities: deps.capabilities, defaultEngine: settings.defaultEngine });
  const loaded: LoadedSize = { size: null };
  const tempDir = join(deps.config.dataDir, 'tmp', 'studio');
  const uploads = deps.config.uploads;
  // Samples are judged by the studio's own duration rule (422), not the upload class's (413).
  const bodyReader = makeBodyReader({
    limits: { ...uploads, classes: { content: uploads.classes.content, reference: { maxBytes: uploads.classes.reference.maxBytes } } },
    jsonLimitBytes: deps.config.server.jsonLimitBytes,
    tempDir: join(deps.config.dataDir, 'tmp', 'uploads'),
  });

  const handlers: Record<string, RequestHandler> = {
    root(_req, res) {
      res.json({ message: 'voicebox API', version: deps.version, docs: '/api/docs', openapi: '/api/openapi.json' });
    },
    ...prefixed('profiles', makeProfileRoutes({ store, files, audio: deps.audio, minSampleSeconds: settings.minSampleSeconds, maxSampleSeconds: settings.maxSampleSeconds })),
    ...prefixed('history', makeHistoryRoutes({ store, files, maxLimit: settings.maxHistoryLimit })),
    ...prefixed(
      'generation',
      makeGenerationRoutes({
        store,
        files,
        engines,
        audio: deps.audio,
        jobs: deps.jobs,
        tempDir,
        maxReferenceSeconds: settings.maxReferenceSeconds,
        chunkLength: deps.config.openai.chunkLength,
        maxTranscribeSeconds: uploads.classes.content.maxSeconds,
        prefix,
        weightState: (plugin) => deps.runtime.weightState(plugin),
      }),
    ),
    ...prefixed('models', makeModelRoutes({ runtime: deps.runtime, weights: deps.weights, graphs: deps.graphs, downloads: deps.downloads, jobs: deps.jobs, engines, config: deps.config }, loaded)),
  };

  deps.rootHealth.contribute('voicebox', () => studioHealth({ engines, runtime: deps.runtime, weights: deps.weights, graphs: deps.graphs, loaded }), {
    paths: prefix ? [`${prefix}/health`] : [],
    schema: STUDIO_HEALTH_SCHEMA,
  });

  return {
    name: 'studio',
    mount(app) {
      const router = express.Router({ strict: false });
      for (const route of STUDIO_ROUTES) {
        const handler = handlers[route.handler];
        if (!handler) throw new Error(`studio route ${route.method} ${route.path}: no handler '${route.handler}'`);
        const id = `${route.method} ${prefix}${route.path}`;
        const chain: RequestHandler[] = [];
        if (!route.open) {
          if (route.path.startsWith('/models/progress/')) chain.push(keyFromQuery()); // EventSource cannot send headers
          chain.push(deps.guards.authenticate(), deps.guards.rateLimit(id));
          if (route.admin) chain.push(deps.guards.requireRole('admin'));
        }
        const multipart = route.body?.multipart ? (route.path === '/transcribe' ? TRANSCRIBE_UPLOAD : SAMPLE_UPLOAD) : undefined;
        chain.push(bodyReader({ method: route.method, ...(multipart ? { uploads: multipart } : {}) }));
        const path = route.path.replace(/\{([a-z_]+)\}/g, ':$1');
        router[route.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete'](path, ...chain, handler);
      }
      router.use(makeStudioErrorHandler({ logger: deps.logger }));
      app.use(prefix || '/', router);
    },
    openapi: studioOpenApi(prefix, settings, studioModels(deps.runtime)[0]?.decl.name ?? 'model'),
  };
}

function prefixed(group: string, handlers: Record<string, RequestHandler>): Record<string, RequestHandler> {
  return Object.fromEntries(Object.entries(handlers).map(([name, handler]) => [`${group}.${name}`, handler]));
}
