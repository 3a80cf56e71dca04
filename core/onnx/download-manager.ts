// Background weight downloads started from the model API: one at a time per plugin, with
// the latest progress kept for late subscribers and pushed to live ones (the SSE stream).
import type { Logger } from '../logger.ts';
import type { LoadedPlugin } from '../registry/load-registry.ts';
import type { GraphProvider, WeightInspector } from './providers.ts';
import { pullWeights } from './weight-pull.ts';

export type DownloadStatus = 'idle' | 'downloading' | 'verifying' | 'complete' | 'error';

export interface DownloadProgress {
  readonly model_name: string;
  readonly status: DownloadStatus;
  readonly bytes: number;
  readonly total: number;
  /** 0-100, one decimal; 0 while the total is unknown. */
  readonly percent: number;
  readonly filename: string | null;
  readonly error: string | null;
  readonly timestamp: string;
}

export const isActive = (status: DownloadStatus) => status === 'downloading' || status === 'verifying';

export interface DownloadManager {
  /** Starts a download unless one runs for this plugin; returns the current progress. */
  start(plugin: LoadedPlugin, options?: { from?: string }): DownloadProgress;
  progress(plugin: string): DownloadProgress;
  subscribe(plugin: string, listener: (progress: DownloadProgress) => void): () => void;
  dispose(): Promise<void>;
}

/** Least time between two progress messages to subscribers (the final one always goes). */
const TICK_MS = 100;

export function makeDownloadManager(deps: { weights: WeightInspector; graphs: GraphProvider; logger: Logger }): DownloadManager {
  const latest = new Map<string, DownloadProgress>();
  const listeners = new Map<string, Set<(p: DownloadProgress) => void>>();
  const running = new Map<string, { controller: AbortController; done: Promise<void> }>();

  const idle = (name: string): DownloadProgress => ({ model_name: name, status: 'idle', bytes: 0, total: 0, percent: 0, filename: null, error: null, timestamp: new Date().toISOString() });

  const publish = (progress: DownloadProgress) => {
    latest.set(progress.model_name, progress);
    for (const listener of listeners.get(progress.model_name) ?? []) listener(progress);
  };

  const run = async (plugin: LoadedPlugin, from: string | undefined, signal: AbortSignal) => {
    const name = plugin.decl.name;
    let lastSent = 0;
    const at = (fields: Partial<DownloadProgress>): DownloadProgress => ({ ...latest.get(name)!, ...fields, timestamp: new Date().toISOString() });
    try {
      const result = await pullWeights(deps.weights, plugin, {
        from,
        signal,
        onTick(tick) {
          const now = performance.now();
          if (tick.phase === 'downloading' && now - lastSent < TICK_MS) return;
          lastSent = now;
          const percent = tick.total > 0 ? Math.min(100, Math.round((tick.bytes / tick.total) * 1000) / 10) : 0;
          publish(at({ status: tick.phase, bytes: tick.bytes, total: tick.total, percent, filename: tick.file }));
        },
      });
      // Sessions of the files just replaced (smoke graphs, say) must not keep serving.
      await deps.graphs.unload(plugin);
      const final = latest.get(name)!;
      publish(at({ status: 'complete', percent: 100, bytes: Math.max(final.bytes, final.total), total: Math.max(final.bytes, final.total), filename: null }));
      deps.logger.info('weights downloaded', { plugin: name, fetched: result.fetched, skipped: result.skipped });
    } catch (error) {
      const message = signal.aborted ? 'download cancelled: the hub is shutting down' : (error as Error).message;
      publish(at({ status: 'error', error: message }));
      deps.logger.warn('weight download failed', { plugin: name, error: message });
    }
  };

  return {
    start(plugin, options = {}) {
      const name = plugin.decl.name;
      if (running.has(name)) return latest.get(name)!;
      const controller = new AbortController();
      const total = deps.weights.files(plugin).reduce((sum, f) => sum + (f.size ?? 0), 0);
      publish({ ...idle(name), status: 'downloading', total });
      const done = run(plugin, options.from, controller.signal).finally(() => running.delete(name));
      running.set(name, { controller, done });
      return latest.get(name)!;
    },
    progress: (name) => latest.get(name) ?? idle(name),
    subscribe(name, listener) {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
    async dispose() {
      for (const { controller } of running.values()) controller.abort();
      await Promise.all([...running.values()].map((r) => r.done));
    },
  };
}
