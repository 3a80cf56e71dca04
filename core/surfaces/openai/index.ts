// The OpenAI-compatible speech surface: /v1/audio/speech over every plugin with the `tts`
// capability, voices, models and reference voices. Mounted at /v1 (so SDKs work with
// `baseURL: http://host:port/v1`) and at /api/v1, behind the hub's guard chain, with
// errors in OpenAI's shape.
import { isAbsolute, join, resolve } from 'node:path';
import express, { type RequestHandler } from 'express';
import type { AudioToolkit } from '../../audio/toolkit.ts';
import type { HubConfig } from '../../config/load-config.ts';
import { errors } from '../../errors.ts';
import type { makeBodyReader } from '../../http/body.ts';
import type { Guards } from '../../http/guards.ts';
import { rejectMalformedPath } from '../../http/path-check.ts';
import type { Surface } from '../../http/surface.ts';
import { makeUploadChecks } from '../../http/upload-checks.ts';
import type { Logger } from '../../log/logger.ts';
import type { WeightInspector } from '../../onnx/providers.ts';
import type { PluginRuntime } from '../../plugin/runtime.ts';
import type { CapabilityRegistry } from '../../capabilities.ts';
import type { UploadDecl } from '../../plugin/types.ts';
import type { Db } from '../../store/database.ts';
import { makeRequestMetrics } from '../../http/request-metrics.ts';
import type { RootHealth } from '../root-health.ts';
import { speechHealth, SPEECH_HEALTH_SCHEMA } from './health-fields.ts';
import { makeModelTable, type TtsProvider } from './models.ts';
import { makeOpenAiErrorHandler, makeOpenAiFallback } from './openai-errors.ts';
import { openAiFragment } from './openapi.ts';
import { makeReferenceHandlers, REFERENCE_UPLOADS } from './reference-routes.ts';
import { makeReferenceStore, type ReferenceViewer } from './reference-store.ts';
import type { CacheIndex, CacheScan } from './cache-index.ts';
import { makeSpeechCache } from './speech-cache.ts';
import { OPENAI_FORMATS, SPEECH_UPLOADS } from './speech-fields.ts';
import { makeSpeechHandler } from './speech-route.ts';
import { makeVoiceFile } from './voice-file.ts';
import { listVoices } from './voices.ts';
import { voicesWithCatalogue } from '../dubbing/voices-list.ts';
import type { DubbingWork } from '../dubbing/work.ts';

/** Where the surface is mounted (the seed's /v1, and /api/v1 for clients that keep one base URL). */
const OPENAI_PREFIXES = ['/v1', '/api/v1'];

/** The open health probe sees no key's reference voices: only built-in and voices-file ones. */
const ANONYMOUS: ReferenceViewer = { keyId: '', role: 'user' };

export interface OpenAiSurfaceDeps {
  config: HubConfig;
  logger: Logger;
  version: string;
  runtime: PluginRuntime;
  /** The plugins' capabilities: this process's own, or stand-ins that run on a worker (`--role api`). */
  capabilities: CapabilityRegistry;
  weights: WeightInspector;
  guards: Guards;
  bodyReader: ReturnType<typeof makeBodyReader>;
  audio: AudioToolkit;
  db: Db;
  rootHealth: RootHealth;
  /** Where the speech cache keeps its index: this process's memory, or Redis in scale-out mode. */
  speechCacheIndex: (scan: CacheScan) => CacheIndex;
  /** The dubbing surface's public voice catalogue, answered on the same GET /v1/voices. */
  dubbingWork: DubbingWork;
}

type Method = 'GET' | 'POST' | 'DELETE';

export function makeOpenAiSurface(deps: OpenAiSurfaceDeps): Surface {
  const formats = OPENAI_FORMATS.filter((f) => deps.audio.formats.includes(f));
  const models = makeModelTable(deps);
  const references = makeReferenceStore({ db: deps.db, dir: join(deps.config.dataDir, 'voices') });
  const { voicesFile } = deps.config.openai;
  const voiceFile = makeVoiceFile({ path: voicesFile && (isAbsolute(voicesFile) ? voicesFile : resolve(deps.config.rootDir, voicesFile)), audio: deps.audio, logger: deps.logger });
  const voicesOf = async (provider: TtsProvider, viewer: ReferenceViewer) => listVoices(provider, references, viewer, await voiceFile.current());
  const cache = makeSpeechCache({ dir: join(deps.config.dataDir, 'cache', 'openai-speech'), options: deps.config.openai.cache, logger: deps.logger, index: deps.speechCacheIndex });
  // Named one by one: `deps` is the container's proxy, and spreading it would resolve every service.
  const speechDeps = {
    config: deps.config,
    logger: deps.logger,
    version: deps.version,
    audio: deps.audio,
    models,
    references,
    voiceFile,
    cache,
    formats,
    weightState: (plugin: string) => deps.runtime.weightState(plugin),
  };
  const refs = makeReferenceHandlers({ references, audio: deps.audio });
  const created = Math.floor(Date.now() / 1000);

  const describeModel = (entry: { id: string; plugin: string; alias: boolean }) => ({
    id: entry.id,
    object: 'model',
    created,
    owned_by: 'speech-model-hub',
    ...(entry.alias ? { root: entry.plugin } : {}),
  });

  const voices: RequestHandler = voicesWithCatalogue(deps.dubbingWork.store, async (req) => {
    const model = req.query.model;
    if (model !== undefined && typeof model !== 'string') throw errors.invalidField('model', 'must be given once, as text');
    return voicesOf(models.resolve(model || undefined), req.principal!);
  });
  const listModels: RequestHandler = (_req, res) => {
    res.json({ object: 'list', data: models.list().map(describeModel) });
  };
  const getModel: RequestHandler = (req, res) => {
    const entry = models.list().find((m) => m.id === req.params.model);
    if (!entry) throw errors.notFound(`model '${req.params.model}'`);
    res.json(describeModel(entry));
  };

  const reloadVoices: RequestHandler = async (_req, res) => {
    res.json({ object: 'voices.reload', ...(await voiceFile.reload()) });
  };

  const speech = makeSpeechHandler(speechDeps, { alwaysStream: false });
  const metrics = makeRequestMetrics();
  deps.rootHealth.contribute('speech-server', speechHealth({ models, runtime: deps.runtime, aliases: deps.config.openai.models as Readonly<Record<string, string>>, metrics, voicesOf: (provider) => voicesOf(provider, ANONYMOUS) }), { schema: SPEECH_HEALTH_SCHEMA });

  /** Each route: the shared guards, the body reader for its uploads, then its handler. */
  const routes: { method: Method; path: string; uploads?: readonly UploadDecl[]; handler: RequestHandler }[] = [
    { method: 'POST', path: '/audio/speech', uploads: SPEECH_UPLOADS, handler: speech },
    // Seed 003 sends its sampling fields here; /audio/speech takes them too.
    { method: 'POST', path: '/audio/speech/extended', uploads: SPEECH_UPLOADS, handler: speech },
    { method: 'POST', path: '/audio/speech/stream', uploads: SPEECH_UPLOADS, handler: makeSpeechHandler(speechDeps, { alwaysStream: true }) },
    { method: 'GET', path: '/voices', handler: voices },
    { method: 'GET', path: '/models', handler: listModels },
    { method: 'GET', path: '/models/:model', handler: getModel },
    { method: 'POST', path: '/references/add', uploads: REFERENCE_UPLOADS, handler: refs.add },
    { method: 'GET', path: '/references', handler: refs.list },
    { method: 'DELETE', path: '/references/:id', handler: refs.remove },
  ];

  return {
    name: 'openai',
    mount(app) {
      const router = express.Router();
      router.use(rejectMalformedPath());
      for (const route of routes) {
        const id = `${route.method} /v1${route.path.replace(/:([a-z_]+)/g, '{$1}')}`;
        const chain: RequestHandler[] = [deps.guards.authenticate(), deps.guards.rateLimit(id)];
        // GET /v1/voices reads its own query (the catalogue's filters repeat: genres=pop&genres=rock).
        if (route.handler !== voices) chain.push(deps.bodyReader({ method: route.method, uploads: route.uploads }));
        if (route.uploads) chain.push(makeUploadChecks(route.uploads));
        if (route.path.startsWith('/audio/speech')) chain.unshift(metrics.count);
        router[route.method.toLowerCase() as 'get' | 'post' | 'delete'](route.path, ...chain, route.handler);
      }
      router.use(makeOpenAiFallback(routes.map((r) => ({ method: r.method, pattern: new RegExp(`^${r.path.replace(/:[a-z_]+/g, '[^/]+')}/?$`) }))));
      const errorHandler = makeOpenAiErrorHandler({ logger: deps.logger });
      router.use(errorHandler);
      app.use(OPENAI_PREFIXES, router);
      // uttera-tts-vllm's path, at the root; operators only.
      app.post('/admin/reload-voices', deps.guards.authenticate(), deps.guards.requireRole('admin'), deps.guards.rateLimit('POST /admin/reload-voices'), reloadVoices, errorHandler);
    },
    ownErrorShapeUnder: OPENAI_PREFIXES,
    openapi: openAiFragment(formats, deps.audio.contentType, deps.config.openai.defaultModel),
  };
}
