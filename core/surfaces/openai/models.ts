// Which TTS plugin a request's `model` names: a plugin offering the `tts` capability by its
// own name, or an OpenAI model name (tts-1, ...) through the configured alias table.
import type { CapabilityProvider, CapabilityRegistry, TtsCapability } from '../../capabilities.ts';
import type { HubConfig } from '../../config/load-config.ts';
import { errors } from '../../errors.ts';
import type { WeightInspector } from '../../onnx/providers.ts';
import type { PluginRuntime } from '../../plugin/runtime.ts';

export type TtsProvider = CapabilityProvider<TtsCapability>;

export interface ModelEntry {
  readonly id: string;
  /** The plugin that answers for this id. */
  readonly plugin: string;
  readonly alias: boolean;
}

export interface ModelTable {
  /** Every id a client may send: usable TTS plugins, then the aliases with the plugin each answers with. */
  list(): ModelEntry[];
  /** The provider for `model` (the default model when absent); 400 or 503 when there is none. */
  resolve(model: string | undefined): TtsProvider;
}

export function makeModelTable(deps: { config: HubConfig; runtime: PluginRuntime; capabilities: CapabilityRegistry; weights: WeightInspector }): ModelTable {
  const { defaultModel } = deps.config.openai;
  const aliases = deps.config.openai.models as Readonly<Record<string, string>>;
  const providers = () => deps.capabilities.list<TtsCapability>('tts');

  const defaultOf = (usable: readonly TtsProvider[]) => usable.find((p) => p.plugin === defaultModel) ?? usable[0];
  /** An installed TTS plugin that cannot run (weights missing or broken): 503 naming the fix. */
  const unusable = (name: string) => {
    const plugin = deps.runtime.get(name);
    if (plugin?.decl.capabilities?.tts === undefined) return undefined;
    return deps.weights.unusable(plugin) ?? errors.weightsMissing(name, deps.weights.missingFiles(plugin), deps.weights.installCommand(plugin));
  };
  /** An alias answers with its plugin; with the default model when that plugin is not in the registry at all. */
  const aliasTarget = (usable: readonly TtsProvider[], plugin: string) => usable.find((p) => p.plugin === plugin) ?? (unusable(plugin) ? undefined : defaultOf(usable));

  const table: ModelTable = {
    list() {
      const usable = providers();
      const plugins = new Set(usable.map((p) => p.plugin));
      return [
        ...usable.map((p) => ({ id: p.plugin, plugin: p.plugin, alias: false })),
        ...Object.entries(aliases).flatMap(([id, plugin]) => {
          const target = plugins.has(id) ? undefined : aliasTarget(usable, plugin);
          return target ? [{ id, plugin: target.plugin, alias: true }] : [];
        }),
      ];
    },

    resolve(model) {
      const usable = providers();
      if (usable.length === 0) throw errors.unavailable('no installed plugin offers text-to-speech; see GET /api/health');
      // The configured default may not be installed here: then any TTS plugin answers.
      if (model === undefined) return defaultOf(usable)!;
      const found = usable.find((p) => p.plugin === model);
      if (found) return found;
      const name = Object.hasOwn(aliases, model) ? aliases[model]! : model;
      const target = name === model ? undefined : aliasTarget(usable, name);
      if (target) return target;
      const failure = unusable(name);
      if (failure) throw failure;
      throw errors.invalidField('model', `unknown model '${model}'; available: ${table.list().map((m) => m.id).join(', ')}`);
    },
  };
  return table;
}
