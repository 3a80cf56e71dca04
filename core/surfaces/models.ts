// /api/models (admin): every plugin's weight state, size on disk and loaded graphs; load and
// unload; start a weight download in the background and follow it as Server-Sent Events.
// Field names follow voicebox's /models API (model_name, display_name, downloaded, size_mb,
// loaded) with the hub's own additions (state, device, graphs, download).
import express, { type Request, type RequestHandler, type Response } from 'express';
import { join, resolve, sep } from 'node:path';
import type { HubConfig } from '../config/load-config.ts';
import { errors } from '../errors.ts';
import type { makeBodyReader } from '../http/body.ts';
import type { Guards } from '../http/guards.ts';
import { compileFieldValidator } from '../http/validate-fields.ts';
import type { JsonSchemaObject } from '../plugin/types.ts';
import type { Surface } from '../http/surface.ts';
import type { Jobs } from '../jobs/jobs.ts';
import { keyFromQuery } from '../jobs/key-from-query.ts';
import { taskUrls } from '../jobs/task-view.ts';
import { FetchError, type SafeFetcher } from '../net/safe-fetch.ts';
import { isActive, type DownloadManager, type DownloadProgress } from '../onnx/download-manager.ts';
import { startDownloadTask } from './download-task.ts';
import type { GraphProvider, WeightInspector } from '../onnx/providers.ts';
import { hasRegistrySource } from '../onnx/weight-files.ts';
import type { PluginRuntime } from '../plugin/runtime.ts';
import type { LoadedPlugin } from '../registry/load-registry.ts';
import { streamDownload } from './download-events.ts';
import { describeModel } from './model-status.ts';
import { MODEL_DOWNLOAD_REQUEST, MODEL_REQUEST, modelsOpenApi } from './models-openapi.ts';

export function makeModelsSurface(deps: {
  runtime: PluginRuntime;
  weights: WeightInspector;
  graphs: GraphProvider;
  downloads: DownloadManager;
  jobs: Jobs;
  fetcher: SafeFetcher;
  guards: Guards;
  bodyReader: ReturnType<typeof makeBodyReader>;
  config: HubConfig;
}): Surface {
  const importDir = deps.config.downloads.importDir ?? join(deps.config.dataDir, 'import');
  const pluginNamed = (value: unknown, field = 'model_name'): LoadedPlugin => {
    if (typeof value !== 'string' || value.length === 0) throw errors.invalidField(field, 'is required: the name of a plugin (see GET /api/models/status)');
    const plugin = deps.runtime.get(value);
    if (!plugin) throw errors.notFound(`model '${value}'`);
    return plugin;
  };
  const pluginOf = (req: Request) => pluginNamed(req.fields?.model_name);
  /** The shared body reader, then the documented schema: unknown fields, wrong types and nesting are 400. */
  const bodyOf = (schema: JsonSchemaObject): RequestHandler[] => {
    const validate = compileFieldValidator({ fields: schema });
    return [
      deps.bodyReader({ method: 'POST' }),
      function validateModelBody(req, _res, next) {
        req.fields = validate(req.fields ?? {}, req.is('application/json') ? 'json' : 'form');
        next();
      },
    ];
  };

  const statusOf = (plugin: LoadedPlugin) => describeModel(plugin, deps);

  /**
   * A URL must pass the safe fetcher's check now (it is checked again when fetched); a folder
   * must lie under the import directory, judged on the path alone so the answer says nothing
   * about what exists on the server.
   */
  const sourceOf = async (plugin: LoadedPlugin, value: unknown): Promise<string | undefined> => {
    if (value === undefined || value === null) {
      if (hasRegistrySource(plugin)) return undefined;
      throw errors.invalidField('source', `the registry gives no download URL for plugin '${plugin.decl.name}'; give a base URL (http/https) or a folder under the import directory`);
    }
    const rule = 'must be an http(s) base URL or a folder under the import directory (config downloads.importDir)';
    if (typeof value !== 'string' || value.length === 0 || value.length > 2048 || value.includes('\0')) throw errors.invalidField('source', rule);
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
      await deps.fetcher.check(value).catch((error: unknown) => {
        throw error instanceof FetchError ? errors.invalidField('source', error.message) : error;
      });
      return value;
    }
    const folder = resolve(importDir, value);
    if (folder !== importDir && !folder.startsWith(importDir + sep)) throw errors.invalidField('source', rule);
    return folder;
  };

  return {
    name: 'models',
    mount(app) {
      const router = express.Router();
      // EventSource cannot send headers: the progress stream also takes ?api_key=.
      router.use('/progress', keyFromQuery());
      router.use(deps.guards.authenticate(), deps.guards.requireRole('admin'));
      const json = bodyOf(MODEL_REQUEST as unknown as JsonSchemaObject);
      const downloadJson = bodyOf(MODEL_DOWNLOAD_REQUEST as unknown as JsonSchemaObject);

      const list = function modelStatus(_req: Request, res: Response) {
        res.json({ models: deps.runtime.plugins.map(statusOf) });
      };
      // Counted like every endpoint (per key, per route id), after the admin check.
      const limited = (routeId: string) => deps.guards.rateLimit(routeId);
      router.get('/status', limited('GET /models/status'), list);
      router.get('/', limited('GET /models'), list);

      router.post('/load', limited('POST /models/load'), ...json, async function loadModel(req, res) {
        const plugin = pluginOf(req);
        const unusable = deps.weights.unusable(plugin);
        if (unusable) throw unusable;
        await deps.graphs.load(plugin);
        await deps.runtime.ensureLoaded(plugin.decl.name);
        res.json({ message: `model '${plugin.decl.name}' loaded`, ...statusOf(plugin) });
      });

      router.post('/unload', limited('POST /models/unload'), ...json, async function unloadModel(req, res) {
        const plugin = pluginOf(req);
        await deps.graphs.unload(plugin);
        res.json({ message: `model '${plugin.decl.name}' unloaded`, ...statusOf(plugin) });
      });

      router.post('/download', limited('POST /models/download'), ...downloadJson, async function downloadModel(req, res) {
        const plugin = pluginOf(req);
        const name = plugin.decl.name;
        if (plugin.decl.weightFree) throw errors.conflict(`model '${name}' is weight-free: there is nothing to download`);
        const source = await sourceOf(plugin, req.fields?.source);
        const { taskId, progress } = await startDownloadTask(deps, plugin, { principal: req.principal, requestId: req.id, ...(source === undefined ? {} : { source }) });
        const urls = taskUrls(taskId);
        res.status(202).setHeader('Location', urls.status_url);
        res.json({
          message: `download of '${name}' is task ${taskId}; follow it at ${urls.progress_url} or /api/models/progress/${name}`,
          ...progress,
          ...urls,
          model_progress_url: `/api/models/progress/${name}`,
        });
      });

      router.get('/progress/:model_name', limited('GET /models/progress/{model_name}'), function downloadProgress(req, res) {
        streamDownload(deps, pluginNamed(req.params.model_name).decl.name, res);
      });

      app.use('/api/models', router);
    },
    openapi: modelsOpenApi((deps.runtime.plugins.find((p) => !p.decl.weightFree) ?? deps.runtime.plugins[0])?.decl.name ?? 'model'),
  };
}
