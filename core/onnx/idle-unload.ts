// Sessions nobody has run for `onnx.idleUnloadSeconds` are released: a model used once in
// the morning should not hold its native memory (sessions, their arenas) all day. The next
// call loads it again, as after POST /api/models/unload. Activity is read from the graph
// status (runs, running, queued), so the session manager needs no hook for it.
import type { HubConfig } from '../config/load-config.ts';
import type { Logger } from '../log/logger.ts';
import type { LoadedPlugin } from '../registry/load-registry.ts';
import type { GraphProvider } from './providers.ts';

export interface IdleUnloader {
  stop(): void;
}

export function makeIdleUnloader(deps: { graphs: GraphProvider; plugins: readonly LoadedPlugin[]; config: HubConfig; logger: Logger }): IdleUnloader {
  const idleMs = deps.config.onnx.idleUnloadSeconds * 1000;
  if (idleMs <= 0) return { stop() {} };
  const seen = new Map<string, { activity: string; at: number }>();

  const sweep = async () => {
    const now = performance.now();
    for (const plugin of deps.plugins) {
      const graphs = deps.graphs.status(plugin);
      if (!graphs.some((g) => g.loaded)) {
        seen.delete(plugin.decl.name);
        continue;
      }
      const busy = graphs.some((g) => g.running > 0 || g.queued > 0);
      const activity = graphs.map((g) => `${g.runs}/${g.running}/${g.queued}`).join(',');
      const last = seen.get(plugin.decl.name);
      if (busy || !last || last.activity !== activity) {
        seen.set(plugin.decl.name, { activity, at: now });
        continue;
      }
      if (now - last.at < idleMs) continue;
      seen.delete(plugin.decl.name);
      await deps.graphs.unload(plugin);
      deps.logger.info('idle sessions unloaded', { plugin: plugin.decl.name, idleSeconds: Math.round((now - last.at) / 1000) });
    }
  };

  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweep()
      .catch((error: Error) => deps.logger.warn('idle session sweep failed', { error: error.message }))
      .finally(() => (running = false));
  }, Math.min(30_000, Math.max(250, idleMs / 4)));
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
