// /models: the voicebox model-management API mapped onto the hub's machinery (the same
// session manager, weight inspector and download manager as /api/models). "The model" of
// load/unload is the engine a generation naming none would use; status lists every plugin
// the studio can use (cloning TTS and ASR), installed or not. Load, unload and download
// change what the whole hub holds: they need the admin role.
import type { RequestHandler } from 'express';
import type { TtsCapability } from '../../capabilities.ts';
import { errors } from '../../errors.ts';
import type { DownloadManager } from '../../onnx/download-manager.ts';
import type { GraphProvider, WeightInspector } from '../../onnx/providers.ts';
import { hasRegistrySource } from '../../onnx/weight-files.ts';
import type { PluginRuntime } from '../../plugin/runtime.ts';
import type { LoadedPlugin } from '../../registry/load-registry.ts';
import { streamDownload } from '../download-events.ts';
import { startDownloadTask } from '../download-task.ts';
import type { Jobs } from '../../jobs/jobs.ts';
import { describeModel } from '../model-status.ts';
import { CLONES } from '../openai/voices.ts';
import type { Engines } from './engines.ts';
import { validateBody } from './validation.ts';
import { param } from './views.ts';

export interface ModelRouteDeps {
  readonly runtime: PluginRuntime;
  readonly weights: WeightInspector;
  readonly graphs: GraphProvider;
  readonly downloads: DownloadManager;
  readonly jobs: Jobs;
  readonly engines: Engines;
  readonly config: { onnx: { progressHeartbeatMs: number } };
}

/** What the studio last loaded, for /health's model_size. */
export interface LoadedSize {
  size: string | null;
}

/** Plugins the studio uses: TTS that clones from a reference, and speech recognition. */
export function studioModels(runtime: PluginRuntime): LoadedPlugin[] {
  return runtime.plugins.filter((p) => {
    const tts = p.decl.capabilities?.tts as TtsCapability | undefined;
    return (tts?.supports ?? []).includes(CLONES) || p.decl.capabilities?.asr !== undefined;
  });
}

export function makeModelRoutes(deps: ModelRouteDeps, loaded: LoadedSize): Record<string, RequestHandler> {
  const named = (name: string): LoadedPlugin => {
    const plugin = studioModels(deps.runtime).find((p) => p.decl.name === name);
    if (!plugin) throw errors.notFound(`model '${name}' (see GET /models/status)`);
    return plugin;
  };
  const engine = (): LoadedPlugin => {
    const current = deps.engines.current();
    if (!current) throw errors.unavailable('no installed plugin offers voice cloning; see GET /models/status and POST /models/download');
    return deps.runtime.get(current.plugin)!;
  };

  return {
    async load(req, res) {
      const size = req.query.model_size;
      if (size !== undefined && typeof size !== 'string') throw errors.badRequest('model_size: must be given once');
      const plugin = engine();
      const unusable = deps.weights.unusable(plugin);
      if (unusable) throw unusable;
      await deps.graphs.load(plugin);
      await deps.runtime.ensureLoaded(plugin.decl.name);
      loaded.size = size ?? '1.7B';
      res.json({ message: `Model ${plugin.decl.name} loaded successfully`, model_name: plugin.decl.name, model_size: loaded.size });
    },
    async unload(_req, res) {
      const plugin = engine();
      await deps.graphs.unload(plugin);
      loaded.size = null;
      res.json({ message: `Model ${plugin.decl.name} unloaded successfully`, model_name: plugin.decl.name });
    },
    progress(req, res) {
      streamDownload(deps, named(param(req, 'model_name')).decl.name, res);
    },
    status(_req, res) {
      res.json({
        models: studioModels(deps.runtime).map((plugin) => {
          const m = describeModel(plugin, deps);
          return { model_name: m.model_name, display_name: m.display_name, downloaded: m.downloaded, size_mb: m.size_mb, loaded: m.loaded, task: m.task, state: m.state };
        }),
      });
    },
    async download(req, res) {
      const body = validateBody('ModelDownloadRequest', req.fields);
      const plugin = named(body.model_name as string);
      if (plugin.decl.weightFree) throw errors.conflict(`model '${plugin.decl.name}' is weight-free: there is nothing to download`);
      if (!hasRegistrySource(plugin)) throw errors.badRequest(`the registry gives no download URL for '${plugin.decl.name}'; install its weights with: ${deps.weights.installCommand(plugin)}`);
      const { taskId, progress } = await startDownloadTask(deps, plugin, { principal: req.principal, requestId: req.id });
      res.setHeader('X-Task-Id', taskId);
      res.json({ message: `Model ${plugin.decl.name} download started`, model_name: plugin.decl.name, status: progress.status });
    },
  };
}
