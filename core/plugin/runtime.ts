// Runs plugin code: builds each call's context, calls `load` once before first use,
// refuses calls whose weights are missing, and serves capabilities to other plugins.
import type { AudioToolkit } from '../audio/toolkit.ts';
import type { CapabilityProvider, CapabilityRegistry } from '../capabilities.ts';
import { errors } from '../errors.ts';
import type { Logger } from '../log/logger.ts';
import type { GraphProvider, WeightInspector, WeightState } from '../onnx/providers.ts';
import type { LoadedPlugin } from '../registry/load-registry.ts';
import type { TextToolkit } from '../text/toolkit.ts';
import type { HandlerContext, ProgressFn } from './context.ts';
import type { RouteDecl } from './types.ts';

export interface CallBase {
  readonly signal: AbortSignal;
  readonly requestId: string;
  readonly progress?: ProgressFn;
}

export interface PluginRuntime extends CapabilityRegistry {
  readonly plugins: readonly LoadedPlugin[];
  get(name: string): LoadedPlugin | undefined;
  weightState(name: string): WeightState;
  contextFor(name: string, base: CallBase): HandlerContext;
  /** Runs a route's handler with its plugin loaded and its weights present. */
  invoke(plugin: LoadedPlugin, route: RouteDecl, input: unknown, base: CallBase): Promise<unknown>;
  /** Runs the plugin's `load` hook if it has not run yet. */
  ensureLoaded(name: string): Promise<void>;
  dispose(): Promise<void>;
}

export function makePluginRuntime(deps: {
  plugins: readonly LoadedPlugin[];
  logger: Logger;
  weights: WeightInspector;
  graphs: GraphProvider;
  audio: AudioToolkit;
  text: TextToolkit;
}): PluginRuntime {
  const byName = new Map(deps.plugins.map((p) => [p.decl.name, p]));
  const loading = new Map<string, Promise<void>>();
  const noProgress: ProgressFn = () => {};

  const pluginOf = (name: string): LoadedPlugin => {
    const plugin = byName.get(name);
    if (!plugin) throw errors.notFound(`plugin '${name}'`);
    return plugin;
  };

  const runtime: PluginRuntime = {
    plugins: deps.plugins,
    get: (name) => byName.get(name),
    weightState: (name) => deps.weights.state(pluginOf(name)),

    contextFor(name, base) {
      const plugin = pluginOf(name);
      return {
        plugin: { name, sampleRate: plugin.decl.sampleRate },
        graphs: deps.graphs.handlesFor(plugin),
        weightState: deps.weights.state(plugin),
        weightDir: deps.weights.dir(plugin),
        progress: base.progress ?? noProgress,
        signal: base.signal,
        log: deps.logger.child({ plugin: name, requestId: base.requestId }),
        audio: deps.audio,
        text: deps.text,
        capabilities: runtime,
        requestId: base.requestId,
      };
    },

    async ensureLoaded(name) {
      const plugin = pluginOf(name);
      if (!plugin.decl.load) return;
      let pending = loading.get(name);
      if (!pending) {
        const started = performance.now();
        const context = runtime.contextFor(name, { signal: new AbortController().signal, requestId: 'load' });
        pending = Promise.resolve(plugin.decl.load(context)).then(() =>
          deps.logger.info('plugin loaded', { plugin: name, ms: Math.round(performance.now() - started) }),
        );
        pending.catch(() => loading.delete(name));
        loading.set(name, pending);
      }
      await pending;
    },

    async invoke(plugin, route, input, base) {
      // Missing files, or files a load found unusable (checksum, not ONNX, contract).
      const unusable = deps.weights.unusable(plugin);
      if (unusable) throw unusable;
      await runtime.ensureLoaded(plugin.decl.name);
      return route.handler(input as never, runtime.contextFor(plugin.decl.name, base));
    },

    list<T>(kind: string): CapabilityProvider<T>[] {
      return deps.plugins
        .filter((p) => p.decl.capabilities?.[kind] !== undefined && deps.weights.state(p) !== 'missing')
        .map((p) => ({
          plugin: p.decl.name,
          capability: p.decl.capabilities![kind] as T,
          ready: () => runtime.ensureLoaded(p.decl.name),
          context: (base) => runtime.contextFor(p.decl.name, base),
        }));
    },

    find<T>(kind: string, name?: string) {
      const all = runtime.list<T>(kind);
      return name === undefined ? all[0] : all.find((p) => p.plugin === name);
    },

    async dispose() {
      // Unload child-first: plugins in reverse registry order.
      for (const plugin of [...deps.plugins].reverse()) {
        if (loading.has(plugin.decl.name)) await plugin.decl.unload?.();
      }
      loading.clear();
    },
  };
  return runtime;
}
