// What the model commands share: the config, the registry's plugins and the weight folders,
// read as the hub reads them (HUB_DATA_DIR, HUB_REGISTRY, HUB_CONFIG).
import { loadConfig, type HubConfig } from '../core/config/load-config.ts';
import { makeWeightInspector } from '../core/onnx/weight-inspector.ts';
import type { WeightInspector } from '../core/onnx/providers.ts';
import { loadPlugins, type LoadedPlugin } from '../core/registry/load-registry.ts';
import { usePrivateUmask } from '../core/store/private-files.ts';
import { UsageError } from './exit.ts';

export interface ModelContext {
  readonly config: HubConfig;
  readonly plugins: readonly LoadedPlugin[];
  readonly weights: WeightInspector;
  /** The named plugins; every plugin that needs weights with `all` (or when none is named and `required` is false). */
  chosen(names: readonly string[], options: { all?: boolean; required: boolean }): LoadedPlugin[];
}

export async function modelContext(): Promise<ModelContext> {
  const config = loadConfig();
  usePrivateUmask(); // the data folder is private, whoever writes to it
  const plugins = await loadPlugins(config.registry, config.rootDir);
  const weights = makeWeightInspector({ config });
  const byName = new Map(plugins.map((p) => [p.decl.name, p]));
  return {
    config,
    plugins,
    weights,
    chosen(names, options) {
      if (options.all || (!options.required && names.length === 0)) return plugins.filter((p) => !p.decl.weightFree);
      if (names.length === 0) throw new UsageError('name at least one plugin, or --all');
      return names.map((name) => {
        const plugin = byName.get(name);
        if (!plugin) throw new UsageError(`unknown plugin '${name}'; known: ${[...byName.keys()].join(', ')}`);
        return plugin;
      });
    },
  };
}
