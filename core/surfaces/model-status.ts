// One plugin's model status: weight state, size on disk, loaded graphs and download
// progress. Field names follow voicebox's /models API (model_name, display_name,
// downloaded, size_mb, loaded) with the hub's own additions; /api/models and the voice
// studio's /models/status both describe plugins with it.
import type { DownloadManager } from '../onnx/download-manager.ts';
import type { GraphProvider, WeightInspector } from '../onnx/providers.ts';
import type { LoadedPlugin } from '../registry/load-registry.ts';

const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

export function describeModel(plugin: LoadedPlugin, deps: { weights: WeightInspector; graphs: GraphProvider; downloads: DownloadManager }) {
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
    resident_bytes: graphs.reduce((sum, g) => sum + g.residentBytes, 0),
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
      resident_bytes: g.residentBytes,
      last_eviction: g.eviction ?? null,
    })),
    download: deps.downloads.progress(plugin.decl.name),
  };
}
