// /api/models (admin): every plugin's weight state, size on disk and loaded graphs; load and
// unload; start a weight download in the background and follow it as Server-Sent Events.
// Field names follow voicebox's /models API (model_name, display_name, downloaded, size_mb,
// loaded) with the hub's own additions (state, device, graphs, download).
import express, { type Request, type Response } from 'express';
import { isAbsolute } from 'node:path';
import type { HubConfig } from '../config/load-config.ts';
import { errors } from '../errors.ts';
import type { Guards } from '../http/guards.ts';
import type { Surface } from '../http/surface.ts';
import { keyFromQuery } from '../jobs/key-from-query.ts';
import type { DownloadManager } from '../onnx/download-manager.ts';
import type { GraphProvider, WeightInspector } from '../onnx/providers.ts';
import { hasRegistrySource } from '../onnx/weight-files.ts';
import type { PluginRuntime } from '../plugin/runtime.ts';
import type { LoadedPlugin } from '../registry/load-registry.ts';
import { streamDownload } from './download-events.ts';
import { describeModel } from './model-status.ts';
import { modelsOpenApi } from './models-openapi.ts';

export function makeModelsSurface(deps: {
  runtime: PluginRuntime;
  weights: WeightInspector;
  graphs: GraphProvider;
  downloads: DownloadManager;
  guards: Guards;
  config: HubConfig;
}): Surface {
  const pluginNamed = (value: unknown, field = 'model_name'): LoadedPlugin => {
    if (typeof value !== 'string' || value.length === 0) throw errors.invalidField(field, 'is required: the name of a plugin (see GET /api/models/status)');
    const plugin = deps.runtime.get(value);
    if (!plugin) throw errors.notFound(`model '${value}'`);
    return plugin;
  };
  const pluginOf = (req: Request) => pluginNamed((req.body as Record<string, unknown> | undefined)?.model_name ?? req.query.model_name);

  const statusOf = (plugin: LoadedPlugin) => describeModel(plugin, deps);

  const sourceOf = (plugin: LoadedPlugin, value: unknown): string | undefined => {
    if (value === undefined || value === null) {
      if (hasRegistrySource(plugin)) return undefined;
      throw errors.invalidField('source', `the registry gives no download URL for plugin '${plugin.decl.name}'; give a base URL (http/https) or a folder on the server`);
    }
    if (typeof value !== 'string' || !(/^https?:\/\/[^\s]+$/i.test(value) || isAbsolute(value))) {
      throw errors.invalidField('source', 'must be an http(s) base URL or an absolute folder path on the server');
    }
    return value;
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

      router.post('/download', json, function downloadModel(req, res) {
        const plugin = pluginOf(req);
        if (plugin.decl.weightFree) throw errors.conflict(`model '${plugin.decl.name}' is weight-free: there is nothing to download`);
        const from = sourceOf(plugin, (req.body as Record<string, unknown> | undefined)?.source);
        const progress = deps.downloads.start(plugin, { from });
        res.status(202).setHeader('Location', `/api/models/progress/${plugin.decl.name}`);
        res.json({ message: `download of '${plugin.decl.name}' started; follow it at /api/models/progress/${plugin.decl.name}`, ...progress });
      });

      router.get('/progress/:model_name', function downloadProgress(req, res) {
        streamDownload(deps, pluginNamed(req.params.model_name).decl.name, res);
      });

      app.use('/api/models', router);
    },
    openapi: modelsOpenApi((deps.runtime.plugins.find((p) => !p.decl.weightFree) ?? deps.runtime.plugins[0])?.decl.name ?? 'model'),
  };
}
