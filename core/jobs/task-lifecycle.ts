// When tasks run and when they stop. At boot: tasks that were running when the hub went
// down fail (or run again, when their route declares itself idempotent), tasks that were
// queued are queued again in their original order, expired results and orphan folders
// go. At shutdown: nothing new starts, running tasks get the grace period, then they are
// aborted and left `running` for the next boot to decide.
import { errors } from '../errors.ts';
import type { Logger } from '../log/logger.ts';
import type { PluginRuntime } from '../plugin/runtime.ts';
import type { TaskFiles } from './task-files.ts';
import type { TaskQueue } from './task-queue.ts';
import type { SystemTasks } from './system-task.ts';
import { isIdempotent, SHUTDOWN, type TaskRunner } from './task-runner.ts';
import type { TaskStore } from './task-store.ts';

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

  const recoverInterrupted = async (): Promise<void> => {
    for (const task of store.withStatus('running')) {
      const idempotent = isIdempotent(task, deps.runtime, deps.systemTasks);
      if (idempotent && task.attempts < MAX_ATTEMPTS) {
        store.requeue(task.id, `re-queued after a restart (attempt ${task.attempts + 1})`);
        deps.logger.info('task re-queued after restart', { taskId: task.id, plugin: task.plugin });
        continue;
      }
      const reason = idempotent
        ? `the hub went down ${task.attempts} times while this task was running; it is not tried again`
        : 'the hub restarted while this task was running; submit it again';
      const error = errors.interrupted(reason);
      runner.finish(task, { status: 'error', error: { status: error.status, code: error.code, detail: error.message } });
      await files.removeUploads(task.id);
      deps.logger.warn('task failed by restart', { taskId: task.id, plugin: task.plugin });
    }
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
      await recoverInterrupted();
      const queued = store.withStatus('queued');
      for (const task of queued) await queue.enqueue({ id: task.id, lane: task.plugin }, { force: true });
      if (queued.length) deps.logger.info('queued tasks resumed', { count: queued.length });
      await cleanup();
      const orphans = await files.sweep(store.ids());
      if (orphans) deps.logger.info('orphan task folders removed', { count: orphans });
      timer = setInterval(() => void cleanup().catch((error: Error) => deps.logger.error('task cleanup failed', { error: error.stack })), deps.cleanupIntervalMs);
      timer.unref();
      queue.start(runner.run);
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
