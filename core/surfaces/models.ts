// /api/models (admin): every plugin's weight state, size on disk and loaded graphs; load and
// unload; start a weight download in the background and follow it as Server-Sent Events.
// Field names follow voicebox's /models API (model_name, display_name, downloaded, size_mb,
// loaded) with the hub's own additions (state, device, graphs, download).
import express, { type Request, type Response } from 'express';
import { join, resolve, sep } from 'node:path';
import type { HubConfig } from '../config/load-config.ts';
import { errors } from '../errors.ts';
import type { Guards } from '../http/guards.ts';
import type { Surface } from '../http/surface.ts';
import type { Jobs } from '../jobs/jobs.ts';
import { keyFromQuery } from '../jobs/key-from-query.ts';
import { taskUrls } from '../jobs/task-view.ts';
import { FINISHED } from '../jobs/types.ts';
import { FetchError, type SafeFetcher } from '../net/safe-fetch.ts';
import { isActive, type DownloadInput, type DownloadManager, type DownloadProgress } from '../onnx/download-manager.ts';
import type { GraphProvider, WeightInspector } from '../onnx/providers.ts';
import { hasRegistrySource } from '../onnx/weight-files.ts';
import type { PluginRuntime } from '../plugin/runtime.ts';
import type { LoadedPlugin } from '../registry/load-registry.ts';
import { modelsOpenApi } from './models-openapi.ts';

/** Tells EventSource how long to wait before reconnecting. */
const RETRY_MS = 2000;

const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

export function makeModelsSurface(deps: {
  runtime: PluginRuntime;
  weights: WeightInspector;
  graphs: GraphProvider;
  downloads: DownloadManager;
  jobs: Jobs;
  fetcher: SafeFetcher;
  guards: Guards;
  config: HubConfig;
}): Surface {
  const importDir = deps.config.downloads.importDir ?? join(deps.config.dataDir, 'import');
  const pluginNamed = (value: unknown, field = 'model_name'): LoadedPlugin => {
    if (typeof value !== 'string' || value.length === 0) throw errors.invalidField(field, 'is required: the name of a plugin (see GET /api/models/status)');
    const plugin = deps.runtime.get(value);
    if (!plugin) throw errors.notFound(`model '${value}'`);
    return plugin;
  };
  const pluginOf = (req: Request) => pluginNamed((req.body as Record<string, unknown> | undefined)?.model_name ?? req.query.model_name);

  const statusOf = (plugin: LoadedPlugin) => {
    const state = deps.weights.state(plugin);
    const graphs = deps.graphs.status(plugin);
    const providers = [...new Set(graphs.flatMap((g) => g.providers))];
    const declaredMemory = graphs.every((g) => g.memoryMb !== undefined) && graphs.length > 0 ? graphs.reduce((sum, g) => sum + g.memoryMb!, 0) : null;
    return {
      model_name: plugin.decl.name,
      display_name: plugin.decl.title,
      task: plugin.decl.task,
      state,
      downloaded: state === 'installed' || state === 'unverified' || state === 'weight-free',
      size_mb: mb(deps.weights.sizeOnDisk(plugin)),
      loaded: graphs.length === 0 ? state !== 'missing' : graphs.every((g) => g.loaded),
      device: providers.length ? providers.join(',') : null,
      memory_mb: declaredMemory,
      problem: deps.weights.unusable(plugin)?.message ?? null,
      install_command: plugin.decl.weightFree ? null : deps.weights.installCommand(plugin),
      graphs: graphs.map((g) => ({
        name: g.name,
        file: g.file,
        loaded: g.loaded,
        providers: g.providers,
        memory_mb: g.memoryMb ?? null,
        running: g.running,
        queued: g.queued,
        runs: g.runs,
        mean_run_ms: g.meanRunMs === undefined ? null : Math.round(g.meanRunMs * 10) / 10,
      })),
      download: deps.downloads.progress(plugin.decl.name),
    };
  };

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

  const streamProgress = (plugin: LoadedPlugin, req: Request, res: Response) => {
    const name = plugin.decl.name;
    let ended = false;
    const send = (progress: DownloadProgress) => {
      if (ended) return;
      res.write(`data: ${JSON.stringify(progress)}\n\n`);
      if (progress.status === 'complete' || progress.status === 'error') end();
    };
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), deps.config.onnx.progressHeartbeatMs);
    heartbeat.unref();
    const unsubscribe = deps.downloads.subscribe(name, send);
    const end = () => {
      if (ended) return;
      ended = true;
      clearInterval(heartbeat);
      unsubscribe();
      res.end();
    };
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('X-Accel-Buffering', 'no');
    res.write(`retry: ${RETRY_MS}\n\n`);
    // The current state first; an idle stream stays open for a download that starts later.
    const current = deps.downloads.progress(name);
    if (isActive(current.status) || current.status === 'idle') res.write(`data: ${JSON.stringify(current)}\n\n`);
    else send(current);
    res.once('close', end);
  };

  return {
    name: 'models',
    mount(app) {
      const router = express.Router();
      // EventSource cannot send headers: the progress stream also takes ?api_key=.
      router.use('/progress', keyFromQuery());
      router.use(deps.guards.authenticate(), deps.guards.requireRole('admin'));
      const json = express.json({ limit: 16 * 1024 });

      const list = function modelStatus(_req: Request, res: Response) {
        res.json({ models: deps.runtime.plugins.map(statusOf) });
      };
      router.get('/status', list);
      router.get('/', list);

      router.post('/load', json, async function loadModel(req, res) {
        const plugin = pluginOf(req);
        const unusable = deps.weights.unusable(plugin);
        if (unusable) throw unusable;
        await deps.graphs.load(plugin);
        await deps.runtime.ensureLoaded(plugin.decl.name);
        res.json({ message: `model '${plugin.decl.name}' loaded`, ...statusOf(plugin) });
      });

      router.post('/unload', json, async function unloadModel(req, res) {
        const plugin = pluginOf(req);
        await deps.graphs.unload(plugin);
        res.json({ message: `model '${plugin.decl.name}' unloaded`, ...statusOf(plugin) });
      });

      router.post('/download', json, async function downloadModel(req, res) {
        const plugin = pluginOf(req);
        const name = plugin.decl.name;
        if (plugin.decl.weightFree) throw errors.conflict(`model '${name}' is weight-free: there is nothing to download`);
        const source = await sourceOf(plugin, (req.body as Record<string, unknown> | undefined)?.source);
        // A second request while one is queued or running joins it.
        const running = deps.downloads.taskOf(name);
        const joined = running === undefined ? undefined : deps.jobs.find(running);
        let taskId = joined && !FINISHED.has(joined.status) ? joined.id : undefined;
        let progress = deps.downloads.progress(name);
        if (taskId === undefined) {
          const input: DownloadInput = { model_name: name, ...(source === undefined ? {} : { source }) };
          const task = await deps.jobs.submitSystem(deps.downloads.kind, input as unknown as Record<string, unknown>, req.principal, req.id);
          taskId = task.id;
          progress = deps.downloads.queued(plugin, task.id);
        }
        const urls = taskUrls(taskId);
        res.status(202).setHeader('Location', urls.status_url);
        res.json({
          message: `download of '${name}' is task ${taskId}; follow it at ${urls.progress_url} or /api/models/progress/${name}`,
          ...progress,
          ...urls,
          model_progress_url: `/api/models/progress/${name}`,
        });
      });

      router.get('/progress/:model_name', function downloadProgress(req, res) {
        streamProgress(pluginNamed(req.params.model_name), req, res);
      });

      app.use('/api/models', router);
    },
    openapi: modelsOpenApi,
  };
}
