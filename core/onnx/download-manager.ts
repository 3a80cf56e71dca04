// Weight downloads started from the model API run as `/api/tasks` tasks of the system kind
// `hub:weights`: queued, cancellable, followed over /ws/progress and /api/tasks/{id}/events
// (with bytes, total, rate and ETA as details), resumed after a restart (the `.partial`
// files stay and the next run asks for the missing bytes with HTTP Range). The manager also
// keeps each plugin's latest progress for the voicebox-style stream /api/models/progress.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { HubConfig } from '../config/load-config.ts';
import { errors } from '../errors.ts';
import type { SystemTaskContext, SystemTaskKind } from '../jobs/system-task.ts';
import { SHUTDOWN } from '../jobs/task-runner.ts';
import type { Logger } from '../log/logger.ts';
import type { SafeFetcher } from '../net/safe-fetch.ts';
import type { LoadedPlugin } from '../registry/load-registry.ts';
import type { GraphProvider, WeightInspector } from './providers.ts';
import { DownloadError, type DownloadTick } from './weight-download.ts';
import { pullWeights } from './weight-pull.ts';

export type DownloadStatus = 'idle' | 'downloading' | 'verifying' | 'complete' | 'error';

export interface DownloadProgress {
  readonly model_name: string;
  readonly status: DownloadStatus;
  /** The task that runs the download (null while idle). */
  readonly task_id: string | null;
  readonly bytes: number;
  readonly total: number;
  /** 0-100, one decimal; 0 while the total is unknown. */
  readonly percent: number;
  /** Bytes per second over this run; null until measurable. */
  readonly rate: number | null;
  /** Seconds left at the current rate; null while unknown. */
  readonly eta_seconds: number | null;
  readonly filename: string | null;
  readonly error: string | null;
  readonly timestamp: string;
}

export const isActive = (status: DownloadStatus) => status === 'downloading' || status === 'verifying';

/** What the task records as input: a source already checked by the surface. */
export interface DownloadInput {
  readonly model_name: string;
  /** A base URL, or an absolute folder under the import directory. */
  readonly source?: string;
}

export interface DownloadManager {
  readonly kind: SystemTaskKind;
  /** The task already queued or running for this plugin, if any. */
  taskOf(plugin: string): string | undefined;
  /** Records a just-submitted task, so a second request joins it. */
  queued(plugin: LoadedPlugin, taskId: string): DownloadProgress;
  progress(plugin: string): DownloadProgress;
  subscribe(plugin: string, listener: (progress: DownloadProgress) => void): () => void;
}

export const DOWNLOAD_LANE = 'hub:weights';
export const DOWNLOAD_PATH = '/models/download';

/** Least time between two progress messages to subscribers (the final one always goes). */
const TICK_MS = 100;

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** The hub's word for a failed download: refusals are the request's fault (400), the rest the far side's (502). */
function asHubError(error: unknown): unknown {
  if (!(error instanceof DownloadError)) return error;
  return error.kind === 'refused' || error.kind === 'too-large' ? errors.badRequest(error.message) : errors.downloadFailed(error.message);
}

export function makeDownloadManager(deps: {
  weights: WeightInspector;
  graphs: GraphProvider;
  plugins: readonly LoadedPlugin[];
  fetcher: SafeFetcher;
  config: HubConfig;
  logger: Logger;
}): DownloadManager {
  const latest = new Map<string, DownloadProgress>();
  const listeners = new Map<string, Set<(p: DownloadProgress) => void>>();
  const tasks = new Map<string, string>();
  const importDir = deps.config.downloads.importDir ?? join(deps.config.dataDir, 'import');

  const idle = (name: string): DownloadProgress => ({
    model_name: name, status: 'idle', task_id: null, bytes: 0, total: 0, percent: 0, rate: null, eta_seconds: null, filename: null, error: null, timestamp: new Date().toISOString(),
  });
  const publish = (progress: DownloadProgress) => {
    latest.set(progress.model_name, progress);
    for (const listener of listeners.get(progress.model_name) ?? []) listener(progress);
  };
  const update = (name: string, fields: Partial<DownloadProgress>) => publish({ ...(latest.get(name) ?? idle(name)), ...fields, timestamp: new Date().toISOString() });
  const registryTotal = (plugin: LoadedPlugin) => deps.weights.files(plugin).reduce((sum, f) => sum + (f.size ?? 0), 0);

  const run = async (input: Record<string, unknown>, ctx: SystemTaskContext) => {
    const { model_name: name, source } = input as unknown as DownloadInput;
    const plugin = deps.plugins.find((p) => p.decl.name === name);
    if (!plugin) throw errors.notFound(`model '${name}'`);
    tasks.set(name, ctx.taskId);
    update(name, { status: 'downloading', task_id: ctx.taskId, bytes: 0, total: registryTotal(plugin), percent: 0, rate: null, eta_seconds: null, error: null });
    const started = performance.now();
    let firstBytes: number | undefined;
    let lastSent = 0;
    const onTick = (tick: DownloadTick) => {
      const now = performance.now();
      if (tick.phase === 'downloading' && now - lastSent < TICK_MS) return;
      lastSent = now;
      firstBytes ??= tick.bytes; // bytes already there from an earlier run do not count toward the rate
      const seconds = (now - started) / 1000;
      const rate = seconds > 0.2 ? Math.round((tick.bytes - firstBytes) / seconds) : null;
      const eta = rate && tick.total > 0 ? Math.max(0, Math.round((tick.total - tick.bytes) / rate)) : null;
      const fraction = tick.total > 0 ? Math.min(1, tick.bytes / tick.total) : 0;
      update(name, { status: tick.phase, bytes: tick.bytes, total: tick.total, percent: Math.round(fraction * 1000) / 10, rate, eta_seconds: eta, filename: tick.file });
      const message = `${tick.phase} ${tick.file}: ${mib(tick.bytes)}${tick.total ? ` of ${mib(tick.total)}` : ''}${rate ? `, ${mib(rate)}/s` : ''}${eta !== null ? `, about ${eta} s left` : ''}`;
      ctx.progress(fraction, message, tick.phase, { bytes: tick.bytes, total: tick.total, rate, eta_seconds: eta, file: tick.file });
    };
    try {
      const result = await pullWeights(deps.weights, plugin, {
        from: source,
        fetcher: deps.fetcher,
        localRoot: source !== undefined && !/^https?:/i.test(source) ? importDir : undefined,
        retries: deps.config.downloads.retries,
        signal: ctx.signal,
        onTick,
      });
      // Sessions of the files just replaced (smoke graphs, say) must not keep serving.
      await deps.graphs.unload(plugin);
      const final = latest.get(name)!;
      const bytes = Math.max(final.bytes, final.total);
      update(name, { status: 'complete', percent: 100, bytes, total: bytes, eta_seconds: 0, filename: null });
      const state = deps.weights.state(plugin);
      deps.logger.info('weights downloaded', { plugin: name, state, fetched: result.fetched, skipped: result.skipped });
      return { contentType: 'application/json', body: Buffer.from(JSON.stringify({ model_name: name, state, fetched: result.fetched, skipped: result.skipped })) };
    } catch (error) {
      const shutdown = ctx.signal.reason === SHUTDOWN;
      if (ctx.signal.aborted && !shutdown) await rm(join(deps.weights.dir(plugin), '.partial'), { recursive: true, force: true }); // cancelled: nothing of it stays
      const message = shutdown ? 'interrupted: the hub is shutting down; it resumes at the next start' : ctx.signal.aborted ? 'download cancelled' : (error as Error).message;
      update(name, { status: 'error', error: message, rate: null, eta_seconds: null });
      if (!ctx.signal.aborted) deps.logger.warn('weight download failed', { plugin: name, error: message });
      throw asHubError(error);
    } finally {
      if (tasks.get(name) === ctx.taskId) tasks.delete(name);
    }
  };

  return {
    kind: { lane: DOWNLOAD_LANE, path: DOWNLOAD_PATH, idempotent: true, run },
    taskOf: (name) => tasks.get(name),
    queued(plugin, taskId) {
      const name = plugin.decl.name;
      tasks.set(name, taskId);
      update(name, { ...idle(name), status: 'downloading', task_id: taskId, total: registryTotal(plugin) });
      return latest.get(name)!;
    },
    progress: (name) => latest.get(name) ?? idle(name),
    subscribe(name, listener) {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
  };
}
