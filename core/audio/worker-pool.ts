// A small pool of worker threads for the audio jobs. Workers start on first use (each
// loads TypeScript through tsx, ~0.3–1 s), take one job at a time from a bounded FIFO queue, and are
// replaced if they crash or run past the job timeout. Idle workers do not keep the process
// alive. With size 0 jobs run on the calling thread (for debugging only: it blocks).
import type { Worker } from 'node:worker_threads';
// The native addons the jobs use (sharp's libvips, @evan/opus) must be loaded by the main
// thread before any worker loads them: otherwise a worker's exit unloads a library the
// others still run and the process dies (SIGSEGV, measured for both; sharp's documentation
// says the same). Their JS is small; the jobs themselves are only imported in the workers.
import '@evan/opus';
import 'sharp';
import { startTypeScriptWorker } from '../threads/typescript-worker.ts';
import { errors } from '../errors.ts';
import type { Logger } from '../log/logger.ts';
import type { JobArgs, JobName, JobResult } from './jobs.ts';
import { deserializeError, type SerializedError } from './worker-errors.ts';

export interface WorkerPoolOptions {
  readonly size: number;
  readonly maxQueue: number;
  readonly jobTimeoutMs: number;
  readonly logger?: Logger;
}

export interface RunOptions {
  /** Rejects a job still waiting in the queue when aborted. */
  readonly signal?: AbortSignal;
  /** Overrides the pool's job timeout. */
  readonly timeoutMs?: number;
  /** Buffers in `args` that move to the worker instead of being copied (the caller's views become empty). */
  readonly transfer?: readonly ArrayBuffer[];
}

/** A job ran past its time limit; its worker was stopped. */
export class JobTimeoutError extends Error {
  constructor(name: string, ms: number) {
    super(`audio job '${name}' did not finish within ${Math.round(ms / 1000)} s`);
    this.name = 'JobTimeoutError';
  }
}

/** A worker died mid-job (a decoder crash or out of memory); it was replaced. */
export class WorkerCrashError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerCrashError';
  }
}

export interface WorkerPool {
  run<N extends JobName>(name: N, args: JobArgs<N>, options?: RunOptions): Promise<JobResult<N>>;
  /** Starts every worker now, so the first request does not wait for one to load. */
  warm(): void;
  /** Workers started, busy, and jobs waiting. */
  stats(): { workers: number; busy: number; queued: number };
  close(): Promise<void>;
}

interface Task {
  readonly id: number;
  readonly name: JobName;
  readonly args: unknown;
  readonly timeoutMs: number;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly signal?: AbortSignal;
  readonly transfer?: readonly ArrayBuffer[];
}

interface Slot {
  worker: Worker;
  task?: Task;
  timer?: NodeJS.Timeout;
}

const WORKER_URL = new URL('./worker.ts', import.meta.url);

export function makeWorkerPool(options: WorkerPoolOptions): WorkerPool {
  const slots: Slot[] = [];
  const queue: Task[] = [];
  let nextId = 1;
  let closed = false;

  const spawn = (): Slot => {
    const worker = startTypeScriptWorker(WORKER_URL, { background: true });
    worker.unref();
    const slot: Slot = { worker };
    worker.on('message', (message: { id: number; result?: unknown; error?: SerializedError }) => {
      const task = slot.task;
      if (!task || task.id !== message.id) return;
      finish(slot);
      if (message.error) task.reject(deserializeError(message.error));
      else task.resolve(message.result);
      pump();
    });
    worker.on('error', (error) => {
      options.logger?.error('audio worker failed', { error: error.message });
      const task = slot.task;
      retire(slot);
      task?.reject(new WorkerCrashError(`audio worker failed during '${task.name}': ${error.message}`));
      pump();
    });
    worker.on('exit', (code) => {
      const task = slot.task;
      retire(slot);
      if (task) task.reject(new WorkerCrashError(`audio worker exited (code ${code}) during '${task.name}'`));
      pump();
    });
    slots.push(slot);
    return slot;
  };

  const finish = (slot: Slot) => {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = undefined;
    slot.task = undefined;
    slot.worker.unref();
  };

  const retire = (slot: Slot) => {
    finish(slot);
    const index = slots.indexOf(slot);
    if (index >= 0) slots.splice(index, 1);
  };

  const start = (slot: Slot, task: Task) => {
    slot.task = task;
    // A running job keeps the process alive until it answers.
    slot.worker.ref();
    slot.timer = setTimeout(() => {
      retire(slot);
      void slot.worker.terminate();
      task.reject(new JobTimeoutError(task.name, task.timeoutMs));
      pump();
    }, task.timeoutMs);
    try {
      slot.worker.postMessage({ id: task.id, name: task.name, args: task.args }, task.transfer ? [...task.transfer] : undefined);
    } catch (error) {
      // Arguments that cannot be cloned (functions, class instances with private state).
      finish(slot);
      task.reject(error as Error);
    }
  };

  const pump = () => {
    while (queue.length && !closed) {
      let slot = slots.find((s) => !s.task);
      if (!slot && slots.length < options.size) slot = spawn();
      if (!slot) return;
      start(slot, queue.shift()!);
    }
  };

  const runInline = async <N extends JobName>(name: N, args: JobArgs<N>): Promise<JobResult<N>> =>
    // Imported here: the jobs' modules (DSP, codecs, pictures) belong in the workers, not on the main thread.
    (await ((await import('./jobs.ts')).jobs[name] as (a: JobArgs<N>) => unknown)(args)) as JobResult<N>;

  return {
    run(name, args, runOptions = {}) {
      if (closed) return Promise.reject(errors.unavailable('the audio workers are shut down'));
      if (options.size === 0) return runInline(name, args);
      if (queue.length >= options.maxQueue) return Promise.reject(errors.overloaded('audio processing', 5));
      return new Promise((resolve, reject) => {
        const task: Task = {
          id: nextId++, name, args, timeoutMs: runOptions.timeoutMs ?? options.jobTimeoutMs,
          resolve: resolve as (value: unknown) => void, reject, signal: runOptions.signal, transfer: runOptions.transfer,
        };
        runOptions.signal?.addEventListener('abort', () => {
          const index = queue.indexOf(task);
          if (index >= 0) {
            queue.splice(index, 1);
            reject(runOptions.signal!.reason instanceof Error ? runOptions.signal!.reason : new Error('aborted'));
          }
        }, { once: true });
        queue.push(task);
        pump();
      });
    },
    warm() {
      while (!closed && slots.length < options.size) spawn();
    },
    stats: () => ({ workers: slots.length, busy: slots.filter((s) => s.task).length, queued: queue.length }),
    async close() {
      closed = true;
      for (const task of queue.splice(0)) task.reject(errors.unavailable('the audio workers are shut down'));
      await Promise.all(slots.splice(0).map(async (slot) => {
        const task = slot.task;
        finish(slot);
        slot.worker.removeAllListeners('exit');
        await slot.worker.terminate();
        task?.reject(errors.unavailable('the audio workers are shut down'));
      }));
    },
  };
}
