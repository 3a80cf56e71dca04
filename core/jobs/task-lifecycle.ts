// When tasks run and when they stop. At boot: tasks that were running when the hub went
// down fail (or run again, when their route declares itself idempotent), tasks that were
// queued are queued again in their original order, expired results and orphan folders
// go. At shutdown: nothing new starts, running tasks get the grace period, then they are
// aborted and left `running` for the next boot to decide. With a queue shared between
// processes (scale-out) the queue, not the boot, hands interrupted tasks back to be decided.
import { errors } from '../errors.ts';
import type { Logger } from '../log/logger.ts';
import type { PluginRuntime } from '../plugin/runtime.ts';
import type { TaskFiles } from './task-files.ts';
import type { QueuedTask, TaskQueue } from './task-queue.ts';
import type { SystemTasks } from './system-task.ts';
import { CANCELLED, isIdempotent, SHUTDOWN, type TaskRunner } from './task-runner.ts';
import type { TaskStore } from './task-store.ts';
import { FINISHED, type TaskRecord } from './types.ts';

/** An idempotent task that brought the hub down this many times is not tried again. */
const MAX_ATTEMPTS = 3;
/** How long shutdown waits for aborted handlers to notice their signal. */
const ABORT_WAIT_MS = 5000;

export interface TaskLifecycle {
  /** Recovers what the last run left, resumes queued tasks and starts the cleanup timer. */
  start(): Promise<void>;
  /** Stops starting tasks (shutdown has begun). */
  drain(): void;
  /** Resolves once no task is running. */
  idle(): Promise<void>;
  /** Aborts the tasks still running and stops the timer. */
  stop(): Promise<void>;
  /** Removes expired tasks and their files; returns how many. */
  cleanup(): Promise<number>;
}

export function makeTaskLifecycle(deps: {
  store: TaskStore;
  files: TaskFiles;
  queue: TaskQueue;
  runner: TaskRunner;
  runtime: PluginRuntime;
  systemTasks: SystemTasks;
  logger: Logger;
  cleanupIntervalMs: number;
}): TaskLifecycle {
  const { store, files, queue, runner } = deps;
  let timer: NodeJS.Timeout | undefined;

  /**
   * A task found `running` that nothing runs any more: its process died (`cause`). It runs
   * again when its route says it is idempotent and it has attempts left (true), else it fails.
   */
  const settleInterrupted = async (task: TaskRecord, cause: 'restart' | 'worker'): Promise<boolean> => {
    const idempotent = isIdempotent(task, deps.runtime, deps.systemTasks);
    if (idempotent && task.attempts < MAX_ATTEMPTS) {
      store.requeue(task.id, `re-queued after ${cause === 'restart' ? 'a restart' : 'its worker stopped'} (attempt ${task.attempts + 1})`);
      deps.logger.info('interrupted task re-queued', { taskId: task.id, plugin: task.plugin, cause });
      return true;
    }
    const went = cause === 'restart' ? 'the hub went down' : 'the worker running it stopped';
    const reason = idempotent
      ? `${went} ${task.attempts} times while this task was running; it is not tried again`
      : cause === 'restart'
        ? 'the hub restarted while this task was running; submit it again'
        : 'the worker running this task stopped; submit it again';
    const error = errors.interrupted(reason);
    runner.finish(task, { status: 'error', error: { status: error.status, code: error.code, detail: error.message } });
    await files.removeUploads(task.id);
    deps.logger.warn('interrupted task failed', { taskId: task.id, plugin: task.plugin, cause });
    return false;
  };

  const recoverInterrupted = async (): Promise<void> => {
    for (const task of store.withStatus('running')) await settleInterrupted(task, 'restart');
  };

  /** What the queue hands a task to. A shared queue may hand out one whose worker died. */
  const run = async (queued: QueuedTask): Promise<void> => {
    const task = store.get(queued.id);
    if (task?.status === 'running' && !(await settleInterrupted(task, 'worker'))) return;
    await runner.run(queued);
    // Cut short by a shutdown: the queue must hand it out again (a shared queue retries it).
    if (store.get(queued.id)?.status === 'running') throw SHUTDOWN;
  };

  const abandon = async (id: string, reason: string): Promise<void> => {
    const task = store.get(id);
    if (!task || FINISHED.has(task.status)) return;
    const error = errors.interrupted(`the task queue gave up on this task (${reason}); submit it again`);
    runner.finish(task, { status: 'error', error: { status: error.status, code: error.code, detail: error.message } });
    await files.removeUploads(id);
  };

  const cleanup = async (): Promise<number> => {
    const expired = store.expired(Date.now());
    for (const id of expired) {
      await files.remove(id); // files first: a record never points at a removed folder for long
      store.remove(id);
    }
    if (expired.length) deps.logger.info('expired tasks removed', { count: expired.length });
    return expired.length;
  };

  return {
    async start() {
      // With a shared queue a `running` task may be running on another process right now.
      if (!queue.shared) await recoverInterrupted();
      const queued = store.withStatus('queued');
      for (const task of queued) await queue.enqueue({ id: task.id, lane: task.plugin }, { force: true });
      if (queued.length) deps.logger.info('queued tasks resumed', { count: queued.length });
      await cleanup();
      if (!queue.shared) {
        // Another process may be between creating a task's folder and recording the task.
        const orphans = await files.sweep(store.ids());
        if (orphans) deps.logger.info('orphan task folders removed', { count: orphans });
      }
      timer = setInterval(() => void cleanup().catch((error: Error) => deps.logger.error('task cleanup failed', { error: error.stack })), deps.cleanupIntervalMs);
      timer.unref();
      queue.start(run, { abort: (id) => void runner.abort(id, CANCELLED), abandon });
    },
    drain() {
      queue.pause();
      clearInterval(timer);
    },
    idle: () => queue.idle(),
    async stop() {
      queue.pause();
      clearInterval(timer);
      runner.abortAll(SHUTDOWN);
      await Promise.race([queue.idle(), new Promise((resolve) => setTimeout(resolve, ABORT_WAIT_MS).unref())]);
    },
    cleanup,
  };
}
