// The jobs service: accepts a validated call as a task, answers what a principal may see
// of it, cancels it, and follows it. A key sees only its own tasks; admin sees all. Tasks
// another key owns answer 404, as if they did not exist.
import { randomUUID } from 'node:crypto';
import type { ReadStream } from 'node:fs';
import type { Request } from 'express';
import type { AudioToolkit } from '../audio/toolkit.ts';
import type { HubConfig } from '../config/load-config.ts';
import { errors, HubError } from '../errors.ts';
import type { Invocation } from '../http/dispatch.ts';
import type { Principal } from '../http/request-types.ts';
import type { Logger } from '../log/logger.ts';
import type { Metrics } from '../metrics/metrics.ts';
import type { PluginRuntime } from '../plugin/runtime.ts';
import type { UploadedFile } from '../plugin/types.ts';
import type { ProgressBus, ProgressSubscriber } from './progress-bus.ts';
import { CANCELLED, makeTaskRunner, type TaskRunner } from './task-runner.ts';
import type { RenderedResult } from '../http/render-result.ts';
import type { TaskFiles } from './task-files.ts';
import { PRIORITY, type TaskQueue } from './task-queue.ts';
import { makeResultBudget } from './result-budget.ts';
import type { SystemTaskKind, SystemTasks } from './system-task.ts';
import type { TaskStore } from './task-store.ts';
import { makeTaskLifecycle, type TaskLifecycle } from './task-lifecycle.ts';
import { eventOf } from './task-view.ts';
import { FINISHED, isFinal, type ProgressEvent, type TaskRecord, type TaskStatus } from './types.ts';

export interface ListOptions {
  readonly status: TaskStatus | undefined;
  readonly limit: number;
  readonly cursor: string | undefined;
}

export interface Jobs extends TaskLifecycle {
  submit(invocation: Invocation, req: Request): Promise<TaskRecord>;
  /** Queues work of the hub itself (a weight download) as a task the principal owns. */
  submitSystem(kind: SystemTaskKind, input: Record<string, unknown>, principal: Principal | undefined, requestId: string): Promise<TaskRecord>;
  get(id: string, principal: Principal | undefined): TaskRecord;
  /** The task by id for the hub's own bookkeeping (no principal: never answer a client with it). */
  find(id: string): TaskRecord | undefined;
  list(principal: Principal | undefined, options: ListOptions): { tasks: TaskRecord[]; nextCursor: string | null };
  /** Queued tasks are dropped at once; running ones are aborted and finish `cancelled` at their next step. */
  cancel(id: string, principal: Principal | undefined): Promise<{ task: TaskRecord; pending: boolean }>;
  /** Forgets a finished task and its result. */
  remove(id: string, principal: Principal | undefined): Promise<void>;
  /** The stored result of a done task; a failed task replays the error the synchronous call would have given. */
  result(id: string, principal: Principal | undefined): { task: TaskRecord; body: ReadStream };
  /**
   * Runs a surface's own long call (not a plugin route) as a task of `owner`, in this process,
   * so it has a status, progress events and a stored result like any task. `done` settles
   * with the rendered result or the error.
   */
  runHere(spec: SurfaceTask, work: Parameters<TaskRunner['execute']>[1]): { task: TaskRecord; done: Promise<RenderedResult> };
  /** The current state first, then every event until the final one. */
  follow(id: string, principal: Principal | undefined, subscriber: ProgressSubscriber): { first: ProgressEvent; stop: () => void };
}

export interface SurfaceTask {
  /** Key id of the principal it runs for. */
  readonly owner: string;
  /** The plugin doing the work (shown in the task's status). */
  readonly plugin: string;
  /** The surface's name and the route the call came in on (shown as `route`). */
  readonly surface: string;
  readonly method: string;
  readonly path: string;
  readonly requestId: string;
}

const encodeCursor = (task: TaskRecord) => Buffer.from(`${task.createdAt}:${task.id}`).toString('base64url');

function decodeCursor(cursor: string): { createdAt: number; id: string } {
  const match = /^(\d{1,15}):([0-9a-f-]{36})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw errors.invalidField('cursor', 'is not a cursor this API returned');
  return { createdAt: Number(match[1]), id: match[2]! };
}

export function makeJobs(deps: {
  config: HubConfig;
  logger: Logger;
  runtime: PluginRuntime;
  audio: AudioToolkit;
  taskStore: TaskStore;
  taskFiles: TaskFiles;
  taskQueue: TaskQueue;
  progressBus: ProgressBus;
  systemTasks: SystemTasks;
  metrics?: Metrics;
}): Jobs {
  const { taskStore: store, taskFiles: files, taskQueue: queue, progressBus: bus } = deps;
  const runner = makeTaskRunner({
    store,
    files,
    bus,
    runtime: deps.runtime,
    systemTasks: deps.systemTasks,
    budget: makeResultBudget({ store, files, limits: deps.config.jobs.resultBudget, logger: deps.logger }),
    audio: deps.audio,
    logger: deps.logger,
    metrics: deps.metrics,
    options: {
      resultTtlMs: deps.config.jobs.resultTtlSeconds * 1000,
      progressIntervalMs: deps.config.jobs.progressIntervalMs,
      persistIntervalMs: deps.config.jobs.persistIntervalMs,
    },
  });
  const lifecycle = makeTaskLifecycle({ store, files, queue, runner, runtime: deps.runtime, systemTasks: deps.systemTasks, logger: deps.logger, cleanupIntervalMs: deps.config.jobs.cleanupIntervalSeconds * 1000 });

  /** The database lags a running task by up to `persistIntervalMs`; the bus has its latest state. */
  const live = (task: TaskRecord): TaskRecord => {
    const latest = task.status === 'running' ? bus.latest(task.id) : undefined;
    return latest ? { ...task, progress: latest.progress, stage: latest.stage, message: latest.message } : task;
  };

  const visible = (id: string, principal: Principal | undefined): TaskRecord => {
    if (!principal) throw errors.unauthenticated('missing API key: send it in the X-API-Key header');
    const task = store.get(id);
    if (!task || (principal.role !== 'admin' && task.owner !== principal.keyId)) throw errors.notFound(`task '${id}'`);
    return task;
  };

  return {
    ...lifecycle,
    drain() {
      lifecycle.drain();
      bus.endAll();
    },

    async submit(invocation, req) {
      if (!req.principal) throw errors.unauthenticated('missing API key: send it in the X-API-Key header');
      const { plugin, route, input, format } = invocation;
      const lane = plugin.decl.name;
      await queue.assertRoom(lane); // before moving uploads: a full queue costs nothing
      const id = randomUUID();
      try {
        const uploads = await files.adoptUploads(id, (input.files ?? {}) as Record<string, UploadedFile>);
        store.insert({ id, owner: req.principal.keyId, plugin: lane, method: route.method, path: route.path, input: { ...input, files: uploads }, format, requestId: req.id, createdAt: Date.now() });
        await queue.enqueue({ id, lane, priority: PRIORITY[req.principal.role] });
      } catch (error) {
        store.remove(id);
        await files.remove(id);
        throw error;
      }
      return store.get(id)!;
    },

    runHere(spec, work) {
      const id = randomUUID();
      store.insert({ id, owner: spec.owner, plugin: spec.plugin, method: spec.method, path: spec.path, input: { surface: spec.surface }, format: 'json', requestId: spec.requestId, createdAt: Date.now() });
      const task = store.get(id)!;
      return { task, done: runner.execute(task, work) };
    },

    async submitSystem(kind, input, principal, requestId) {
      if (!principal) throw errors.unauthenticated('missing API key: send it in the X-API-Key header');
      await queue.assertRoom(kind.lane);
      const id = randomUUID();
      store.insert({ id, owner: principal.keyId, plugin: kind.lane, method: 'POST', path: kind.path, input, format: 'json', requestId, createdAt: Date.now() });
      try {
        await queue.enqueue({ id, lane: kind.lane, priority: PRIORITY[principal.role] });
      } catch (error) {
        store.remove(id);
        throw error;
      }
      return store.get(id)!;
    },

    get: (id, principal) => live(visible(id, principal)),
    find: (id) => store.get(id),

    list(principal, options) {
      if (!principal) throw errors.unauthenticated('missing API key: send it in the X-API-Key header');
      const tasks = store.list({
        owner: principal.role === 'admin' ? undefined : principal.keyId,
        status: options.status,
        limit: options.limit + 1,
        after: options.cursor === undefined ? undefined : decodeCursor(options.cursor),
      });
      const more = tasks.length > options.limit;
      const page = more ? tasks.slice(0, options.limit) : tasks;
      return { tasks: page.map(live), nextCursor: more ? encodeCursor(page[page.length - 1]!) : null };
    },

    async cancel(id, principal) {
      const task = visible(id, principal);
      if (FINISHED.has(task.status)) throw errors.conflict(`task '${id}' has already finished (${task.status})`);
      if (task.status === 'queued') {
        // Not waiting any more: a worker in another process took it a moment ago; tell it to stop.
        if (!(await queue.remove(id, task.plugin))) await queue.cancel(id);
        runner.finish(task, { status: 'cancelled', message: 'cancelled by the client before it started' });
        await files.removeUploads(id);
        return { task: store.get(id)!, pending: false };
      }
      if (!runner.abort(id, CANCELLED)) await queue.cancel(id); // it runs in another process
      return { task: store.get(id)!, pending: true };
    },

    async remove(id, principal) {
      const task = visible(id, principal);
      if (!FINISHED.has(task.status)) throw errors.conflict(`task '${id}' is ${task.status}; cancel it first`);
      await files.remove(id);
      store.remove(id);
    },

    result(id, principal) {
      const task = visible(id, principal);
      if (task.status === 'done') return { task, body: files.readResult(id) };
      if (task.status === 'error' && task.error) throw new HubError(task.error.code, task.error.status, task.error.detail);
      if (task.status === 'cancelled') throw errors.conflict(`task '${id}' was cancelled; it has no result`);
      throw errors.conflict(`task '${id}' is ${task.status} (progress ${Math.round(task.progress * 100)} %); its result is not ready yet`);
    },

    follow(id, principal, subscriber) {
      const task = visible(id, principal);
      // No await between reading the state and subscribing: no event can fall in between.
      const first = bus.latest(id) ?? eventOf(task);
      if (isFinal(first)) return { first, stop: () => {} };
      return { first, stop: bus.subscribe(id, subscriber) };
    },
  };
}
