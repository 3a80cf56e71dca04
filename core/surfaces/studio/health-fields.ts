// The voicebox fields of the shared /health (seed 000's HealthResponse): whether the
// engine a generation would use is loaded and downloaded, the size last loaded, and
// whether a GPU runs its graphs.
import type { GraphProvider, WeightInspector } from '../../onnx/providers.ts';
import type { PluginRuntime } from '../../plugin/runtime.ts';
import type { Engines } from './engines.ts';
import type { LoadedSize } from './model-routes.ts';
import { SCHEMA_PREFIX } from './openapi.ts';

const GPU_PROVIDERS = new Set(['cuda', 'tensorrt']);

export const STUDIO_HEALTH_SCHEMA = { $ref: `#/components/schemas/${SCHEMA_PREFIX}HealthResponse` };

export function studioHealth(deps: { engines: Engines; runtime: PluginRuntime; weights: WeightInspector; graphs: GraphProvider; loaded: LoadedSize }) {
  const engine = deps.engines.current();
  const plugin = engine && deps.runtime.get(engine.plugin);
  const graphs = plugin ? deps.graphs.status(plugin) : [];
  const state = plugin ? deps.weights.state(plugin) : undefined;
  return {
    model_loaded: graphs.length > 0 ? graphs.every((g) => g.loaded) : state === 'weight-free',
    model_downloaded: state === undefined ? null : state === 'installed' || state === 'weight-free',
    model_size: deps.loaded.size,
    gpu_available: graphs.some((g) => g.providers.some((p) => GPU_PROVIDERS.has(p))),
    vram_used_mb: null,
  };
}
