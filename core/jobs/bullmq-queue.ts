// The task queue of a scale-out deployment: BullMQ over Redis. One BullMQ queue per lane
// (per plugin, plus one per kind of system task), because lanes are what the hub already
// limits: each plugin has its own concurrency and bound in config, and a worker process
// serves the lanes of the plugins it loads. Job id = task id and the job carries only the
// id; the task itself stays in the task store, as with the local queue.
//
// Failure handling is BullMQ's: a worker that dies stops renewing its lock, another worker's
// stalled-job check puts the job back in the lane, and the lifecycle's `run` sees a task
// still marked `running` and re-runs it (idempotent routes) or fails it, exactly as boot
// recovery does for the embedded hub. A task cut short by a graceful shutdown makes `run`
// throw, and BullMQ's retry (with backoff) hands it to another worker the same way.
import type { Redis } from 'ioredis';
import { Queue, Worker, type Job } from 'bullmq';
import { errors, HubError } from '../errors.ts';
import type { Logger } from '../log/logger.ts';
import { PRIORITY, type LaneLimits, type QueuedTask, type TaskQueue, type TaskQueueHandlers, type TaskWorker } from './task-queue.ts';

/** Runs a lane may get before BullMQ gives up on a job; the lifecycle decides earlier (3 attempts). */
const MAX_JOB_RUNS = 5;
/** Assumed run time of a waiting task, for Retry-After: the workers' history is not shared. */
const ASSUMED_RUN_MS = 10_000;
const MAX_RETRY_AFTER_S = 3600;

export interface BullQueueDeps {
  /** Fails fast while Redis is away: submissions answer 503 at once. */
  readonly commands: Redis;
  /** Waits for Redis: BullMQ workers block on it. */
  readonly blocking: Redis;
  /** Subscribed connection, shared with the progress bus: carries cancels to the workers. */
  readonly subscriber: Redis;
  readonly prefix: string;
  /** Every lane this hub has (installed plugins and system kinds). */
  readonly lanes: readonly string[];
  /** Whether this process runs tasks (`all`, `worker`) or only submits them (`api`). */
  readonly consume: boolean;
  readonly stalledSeconds: number;
  readonly limitsOf: (lane: string) => LaneLimits;
  readonly logger: Logger;
}

/** BullMQ queue names may not contain ':', which system lanes (`hub:weights`) have and plugin names cannot. */
const queueName = (lane: string) => lane.replace(/:/g, '.');

function unreachable(error: unknown): HubError {
  return errors.unavailable(`the task queue is unavailable: Redis is unreachable (${(error as Error).message}); retry shortly`);
}

export interface BullQueue extends TaskQueue {
  /** Tasks this process runs now, and has run since it started (a worker's health shows them). */
  stats(): { running: number; finished: number };
  close(): Promise<void>;
}

export function makeBullQueue(deps: BullQueueDeps): BullQueue {
  const prefix = `${deps.prefix}:bull`;
  const cancelChannel = `${deps.prefix}:cancel`;
  const queues = new Map<string, Queue>();
  const workers: Worker[] = [];
  const running = new Set<Promise<unknown>>();
  let finished = 0;
  let handlers: TaskQueueHandlers | undefined;

  const queueOf = (lane: string): Queue => {
    let queue = queues.get(lane);
    if (!queue) {
      queue = new Queue(queueName(lane), { connection: deps.commands, prefix });
      queue.on('error', () => {}); // connection errors surface as 503s on the calls themselves
      queues.set(lane, queue);
    }
    return queue;
  };

  const assertRoom = async (lane: string): Promise<void> => {
    const { bound, concurrency } = deps.limitsOf(lane);
    let waiting: number;
    try {
      const counts = await queueOf(lane).getJobCounts('wait', 'prioritized', 'delayed');
      waiting = Object.values(counts).reduce((sum, n) => sum + n, 0);
    } catch (error) {
      throw unreachable(error);
    }
    if (waiting >= bound) {
      const rounds = Math.floor(waiting / concurrency) + 1;
      const retryAfter = Math.min(Math.max(Math.ceil((ASSUMED_RUN_MS * rounds) / 1000), 1), MAX_RETRY_AFTER_S);
      throw errors.overloaded(`the task queue of plugin '${lane}' (${waiting} waiting)`, retryAfter);
    }
  };

  const consume = (lane: string, run: TaskWorker): Worker => {
    const worker = new Worker(
      queueName(lane),
      async (job: Job<QueuedTask>) => {
        const work = run({ id: job.id!, lane });
        running.add(work);
        try {
          await work;
        } finally {
          running.delete(work);
          finished += 1;
        }
      },
      {
        connection: deps.blocking,
        prefix,
        concurrency: deps.limitsOf(lane).concurrency,
        lockDuration: deps.stalledSeconds * 1000,
        stalledInterval: deps.stalledSeconds * 1000,
        maxStalledCount: MAX_JOB_RUNS,
      },
    );
    worker.on('error', (error) => deps.logger.warn('task queue worker', { lane, error: error.message }));
    worker.on('failed', (job, error) => {
      // Failed for good (attempts used up, or stalled too often), not merely waiting for a retry.
      job
        ?.getState()
        .then((state) => (state === 'failed' ? handlers?.abandon?.(job.id!, error.message) : undefined))
        .catch(() => {});
    });
    return worker;
  };

  const onCancel = (channel: string, id: string) => {
    if (channel === cancelChannel) handlers?.abort?.(id);
  };

  return {
    shared: true,
    assertRoom,
    async enqueue(task, options = {}) {
      if (!options.force) await assertRoom(task.lane);
      try {
        // A job id that exists already is not added twice: re-enqueueing at boot is safe.
        await queueOf(task.lane).add('task', task, {
          jobId: task.id,
          priority: task.priority ?? PRIORITY.user,
          attempts: MAX_JOB_RUNS,
          backoff: { type: 'exponential', delay: 1000 },
          removeOnComplete: true,
          removeOnFail: { age: 24 * 3600 },
        });
      } catch (error) {
        throw unreachable(error);
      }
    },
    async remove(id, lane) {
      for (const name of lane ? [lane] : deps.lanes) {
        const job = await queueOf(name).getJob(id).catch((error: unknown) => {
          throw unreachable(error);
        });
        if (!job) continue;
        const state = await job.getState();
        if (state !== 'waiting' && state !== 'prioritized' && state !== 'delayed') return false;
        try {
          await job.remove();
          return true;
        } catch {
          return false; // a worker took it in the meantime
        }
      }
      return false;
    },
    async cancel(id) {
      await deps.commands.publish(cancelChannel, id).catch((error: unknown) => {
        throw unreachable(error);
      });
    },
    start(run, options) {
      handlers = options;
      if (!deps.consume || workers.length) return;
      deps.subscriber.on('message', onCancel);
      void deps.subscriber.subscribe(cancelChannel).catch((error: Error) => deps.logger.error('cancel channel subscription failed', { error: error.message }));
      for (const lane of deps.lanes) workers.push(consume(lane, run));
    },
    pause() {
      for (const worker of workers) void worker.pause(true).catch(() => {});
    },
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
    stats: () => ({ running: running.size, finished }),
    async close() {
      deps.subscriber.off('message', onCancel);
      await Promise.allSettled(workers.map((worker) => worker.close()));
      await Promise.allSettled([...queues.values()].map((queue) => queue.close()));
    },
  };
}
