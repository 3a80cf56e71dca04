// Boot inventory and warm-up. At boot the hub logs every plugin with its weight state, then
// loads the graphs of the plugins the config names (`warmup`: 'all', 'none' or a list), one
// after another in the background, so the first call to a warmed plugin does not pay the
// load (seconds for the larger graphs). Readiness waits for exactly these plugins.
import type { HubConfig } from '../config/load-config.ts';
import { toHubError } from '../http/error-handler.ts';
import type { Logger } from '../log/logger.ts';
import type { GraphProvider, WeightInspector } from '../onnx/providers.ts';
import type { LoadedPlugin } from '../registry/load-registry.ts';
import type { PluginRuntime } from './runtime.ts';

export interface WarmupState {
  readonly ready: boolean;
  readonly pending: readonly string[];
  readonly loaded: readonly string[];
  readonly failed: readonly { readonly plugin: string; readonly detail: string }[];
}

export interface Warmup {
  /** Logs the inventory and starts loading; returns at once. */
  start(): void;
  state(): WarmupState;
  /** Settles when every warm-up load has ended, loaded or failed. */
  settled(): Promise<void>;
}

/** The plugins `setting` names; a name no plugin has stops the boot. 'all' skips plugins whose weights are missing. */
export function warmupTargets(setting: HubConfig['warmup'], plugins: readonly LoadedPlugin[], weights: WeightInspector): LoadedPlugin[] {
  if (setting === undefined || setting === 'none') return [];
  if (setting === 'all') return plugins.filter((p) => weights.state(p) !== 'missing');
  const byName = new Map(plugins.map((p) => [p.decl.name, p]));
  const unknown = setting.filter((name) => !byName.has(name));
  if (unknown.length) throw new Error(`config: warmup names unknown plugins: ${unknown.join(', ')} (known: ${[...byName.keys()].join(', ')})`);
  return setting.map((name) => byName.get(name)!);
}

export function makeWarmup(deps: { config: HubConfig; runtime: PluginRuntime; graphs: GraphProvider; weights: WeightInspector; logger: Logger }): Warmup {
  const targets = warmupTargets(deps.config.warmup, deps.runtime.plugins, deps.weights);
  const pending = new Set(targets.map((p) => p.decl.name));
  const loaded: string[] = [];
  const failed: { plugin: string; detail: string }[] = [];
  let run: Promise<void> = Promise.resolve();

  const warm = async (plugin: LoadedPlugin) => {
    const name = plugin.decl.name;
    const started = performance.now();
    try {
      const unusable = deps.weights.unusable(plugin);
      if (unusable) throw unusable;
      if (!plugin.decl.weightFree) await deps.graphs.load(plugin);
      await deps.runtime.ensureLoaded(name);
      loaded.push(name);
      deps.logger.info('warm-up: plugin ready', { plugin: name, ms: Math.round(performance.now() - started) });
    } catch (error) {
      const detail = toHubError(error)?.message ?? (error as Error).message;
      failed.push({ plugin: name, detail });
      deps.logger.error('warm-up: plugin failed to load; the hub stays not ready', { plugin: name, detail });
    } finally {
      pending.delete(name);
    }
  };

  return {
    start() {
      const states = deps.runtime.plugins.map((p) => ({ plugin: p.decl.name, task: p.decl.task, weights: deps.weights.state(p) }));
      for (const entry of states) deps.logger.info('plugin', { ...entry, warmup: pending.has(entry.plugin) });
      const count = (state: string) => states.filter((s) => s.weights === state).length;
      deps.logger.info('plugins registered', {
        count: states.length,
        installed: count('installed'),
        unverified: count('unverified'),
        smoke: count('smoke'),
        missing: count('missing'),
        weightFree: count('weight-free'),
        warmup: [...pending],
      });
      run = targets.reduce((previous, plugin) => previous.then(() => warm(plugin)), Promise.resolve());
    },
    state: () => ({ ready: pending.size === 0 && failed.length === 0, pending: [...pending], loaded: [...loaded], failed: [...failed] }),
    settled: () => run,
  };
}
