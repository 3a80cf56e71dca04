// Runs one queued task: the same `runtime.invoke` + `renderResult` as a synchronous call,
// with progress going to the bus and the rendered bytes going to the task folder.
import type { AudioToolkit } from '../audio/toolkit.ts';
import { errors } from '../errors.ts';
import { toHubError } from '../http/error-handler.ts';
import { renderResult, type RenderedResult } from '../http/render-result.ts';
import type { Logger } from '../log/logger.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { withRequestId } from '../log/request-context.ts';
import type { PluginRuntime } from '../plugin/runtime.ts';
import type { RouteDecl } from '../plugin/types.ts';
import type { LoadedPlugin } from '../registry/load-registry.ts';
import type { ProgressBus } from './progress-bus.ts';
import { makeProgressReporter } from './progress-reporter.ts';
import type { ResultBudget } from './result-budget.ts';
import type { SystemTasks } from './system-task.ts';
import type { QueuedTask } from './task-queue.ts';
import type { TaskFiles } from './task-files.ts';
import type { TaskStore } from './task-store.ts';
import { taskUrls } from './task-view.ts';
import type { ProgressEvent, TaskError, TaskRecord } from './types.ts';
import type { ProgressFn } from '../plugin/context.ts';

/** Abort reason when the hub stops: the task stays `running` and boot recovery decides its fate. */
export const SHUTDOWN = new Error('the hub is shutting down');
export const CANCELLED = new Error('the task was cancelled');

export interface RunnerOptions {
  readonly resultTtlMs: number;
  readonly progressIntervalMs: number;
  readonly persistIntervalMs: number;
}

export interface TaskRunner {
  run(task: QueuedTask): Promise<void>;
  /**
   * Runs `work` in this process as the (queued) task: it shows as running with progress, can
   * be cancelled, and its rendered result is stored. Resolves with the result; rejects with
   * the error it recorded (or the abort reason).
   */
  execute(task: TaskRecord, work: (base: { signal: AbortSignal; progress: ProgressFn }) => Promise<RenderedResult>): Promise<RenderedResult>;
  /** Aborts a running task; false when it is not running here. */
  abort(id: string, reason: Error): boolean;
  abortAll(reason: Error): void;
  /** Records a final state and tells the subscribers; false when the task had already finished. */
  finish(task: Pick<TaskRecord, 'id' | 'progress'>, outcome: Outcome): boolean;
}

export type Outcome =
  | { readonly status: 'done'; readonly result: { contentType: string; headers: Record<string, string>; bytes: number } }
  | { readonly status: 'error'; readonly error: TaskError }
  | { readonly status: 'cancelled'; readonly message: string };

/** Whether a task cut short by a restart may run again: its route, or its system kind, says so. */
export function isIdempotent(task: TaskRecord, runtime: PluginRuntime, systemTasks: SystemTasks): boolean {
  return systemTasks.find(task)?.idempotent ?? routeOf(runtime.get(task.plugin), task)?.idempotent ?? false;
}

export function routeOf(plugin: LoadedPlugin | undefined, task: Pick<TaskRecord, 'method' | 'path'>): RouteDecl | undefined {
  return plugin?.decl.routes.find((r) => r.method === task.method && r.path === task.path);
}

export function makeTaskRunner(deps: {
  store: TaskStore;
  files: TaskFiles;
  bus: ProgressBus;
  runtime: PluginRuntime;
  systemTasks: SystemTasks;
  budget: ResultBudget;
  audio: AudioToolkit;
  logger: Logger;
  options: RunnerOptions;
  metrics?: Metrics;
}): TaskRunner {
  const active = new Map<string, AbortController>();

  const finish: TaskRunner['finish'] = (task, outcome) => {
    const now = Date.now();
    const common = { finishedAt: now, expiresAt: now + deps.options.resultTtlMs };
    let event: ProgressEvent;
    let recorded: boolean;
    if (outcome.status === 'done') {
      recorded = deps.store.finish(task.id, { ...common, status: 'done', stage: 'done', message: '', progress: 1, result: outcome.result });
      event = { task_id: task.id, status: 'done', progress: 1, stage: 'done', message: '', result_url: taskUrls(task.id).result_url };
    } else if (outcome.status === 'error') {
      recorded = deps.store.finish(task.id, { ...common, status: 'error', stage: 'error', message: outcome.error.detail, error: outcome.error });
      event = { task_id: task.id, status: 'error', progress: task.progress, stage: 'error', message: outcome.error.detail, error: outcome.error };
    } else {
      recorded = deps.store.finish(task.id, { ...common, status: 'cancelled', stage: 'cancelled', message: outcome.message });
      event = { task_id: task.id, status: 'cancelled', progress: task.progress, stage: 'cancelled', message: outcome.message };
    }
    if (recorded) deps.bus.publish(event);
    if (recorded) deps.metrics?.tasks.inc({ plugin: deps.store.get(task.id)?.plugin ?? 'unknown', status: outcome.status });
    return recorded;
  };

  const failureOf = (error: unknown, task: TaskRecord): TaskError => {
    const known = toHubError(error);
    if (known) return { status: known.status, code: known.code, detail: known.message };
    deps.logger.error('task failed', { taskId: task.id, plugin: task.plugin, requestId: task.requestId, error: (error as Error)?.stack ?? String(error) });
    const internal = errors.internal(task.requestId);
    return { status: internal.status, code: internal.code, detail: internal.message };
  };

  /** Runs `work` as the task (which must be queued): progress to the bus, result to the task folder, outcome recorded. */
  // A task's lines name the request that made it, not whichever request woke the queue.
  const execute: TaskRunner['execute'] = (task, work) => withRequestId(task.requestId, () => executeNow(task, work));
  const executeNow: TaskRunner['execute'] = async (task, work) => {
    const { id } = task;
    if (!deps.store.markRunning(id, Date.now())) throw errors.conflict(`task '${id}' is no longer queued (cancelled meanwhile)`);
    const controller = new AbortController();
    active.set(id, controller);
    deps.metrics?.queueWait.observe({ queue: 'task', name: task.plugin }, Math.max(0, Date.now() - task.createdAt) / 1000);
    const reporter = makeProgressReporter({
      taskId: id,
      bus: deps.bus,
      store: deps.store,
      intervalMs: deps.options.progressIntervalMs,
      persistIntervalMs: deps.options.persistIntervalMs,
    });
    const { signal } = controller;
    try {
      const rendered = await work({ signal, progress: reporter.report });
      signal.throwIfAborted();
      const release = await deps.budget.reserve(task.owner, rendered.body.byteLength);
      try {
        await deps.files.writeResult(id, rendered.body);
        reporter.close();
        finish(task, { status: 'done', result: { contentType: rendered.contentType, headers: rendered.headers, bytes: rendered.body.byteLength } });
      } finally {
        release();
      }
      return rendered;
    } catch (error) {
      reporter.close();
      const progressed = { id, progress: reporter.current().progress };
      if (signal.reason !== SHUTDOWN) {
        if (signal.aborted) finish(progressed, { status: 'cancelled', message: 'cancelled by the client' });
        else finish(progressed, { status: 'error', error: failureOf(error, task) });
      } // on shutdown it is left `running`: recovery at the next boot re-runs or fails it
      throw signal.aborted && signal.reason instanceof Error ? signal.reason : error;
    } finally {
      active.delete(id);
      if (signal.reason !== SHUTDOWN) await deps.files.removeUploads(id);
    }
  };

  return {
    finish,
    async run({ id }) {
      const task = deps.store.get(id);
      if (!task || task.status !== 'queued') return; // cancelled or removed while it waited
      const system = deps.systemTasks.find(task);
      const plugin = system ? undefined : deps.runtime.get(task.plugin);
      const route = routeOf(plugin, task);
      if (!system && (!plugin || !route)) {
        const gone = errors.unavailable(`route ${task.method} /api${task.path} of plugin '${task.plugin}' is no longer installed`);
        finish(task, { status: 'error', error: { status: gone.status, code: gone.code, detail: gone.message } });
        await deps.files.removeUploads(id);
        return;
      }
      await execute(task, async ({ signal, progress }) => {
        if (system) {
          const output = await system.run(task.input, { taskId: id, signal, progress });
          signal.throwIfAborted();
          return { contentType: output.contentType, headers: {}, body: output.body };
        }
        const output = await deps.runtime.invoke(plugin!, route!, task.input, { signal, requestId: task.requestId, progress });
        signal.throwIfAborted(); // a handler that ignored the signal: its result is not wanted
        const rendered = await renderResult(route!.produces, output, task.format, deps.audio);
        return { ...rendered, headers: { ...rendered.headers, 'X-Weight-State': deps.runtime.weightState(plugin!.decl.name) } };
      }).catch(() => {}); // recorded on the task; nobody waits on a queued task's promise
    },
    execute,
    abort(id, reason) {
      const controller = active.get(id);
      if (!controller) return false;
      controller.abort(reason);
      return true;
    },
    abortAll(reason) {
      for (const controller of active.values()) controller.abort(reason);
    },
  };
}
