// The in-process task queue: one FIFO lane per plugin (admin keys' tasks ahead of users'),
// each with its own concurrency and bound. Retry-After is estimated from how long the
// lane's recent tasks took.
import type { HubConfig } from '../config/load-config.ts';
import { errors } from '../errors.ts';
import { PRIORITY, type LaneLimits, type QueuedTask, type TaskQueue, type TaskWorker } from './task-queue.ts';

interface Lane {
  readonly limits: LaneLimits;
  readonly waiting: QueuedTask[];
  running: number;
  /** Moving average of run time in ms; undefined until a task has run. */
  averageMs: number | undefined;
}

/** Assumed run time before the lane has any history. */
const UNKNOWN_RUN_MS = 10_000;
const MAX_RETRY_AFTER_S = 3600;

/** Per-plugin limits from the `jobs` config section: `plugins.<name>` over the defaults. */
export function laneLimits(config: HubConfig['jobs']): (lane: string) => LaneLimits {
  const overrides = (config.plugins ?? {}) as Record<string, { concurrency?: number; queueBound?: number }>;
  return (lane) => ({
    concurrency: overrides[lane]?.concurrency ?? config.concurrency,
    bound: overrides[lane]?.queueBound ?? config.queueBound,
  });
}

export function makeLocalQueue(deps: { limitsOf: (lane: string) => LaneLimits }): TaskQueue {
  const lanes = new Map<string, Lane>();
  const running = new Set<Promise<void>>();
  let worker: TaskWorker | undefined;
  let paused = false;

  const laneOf = (name: string): Lane => {
    let lane = lanes.get(name);
    if (!lane) {
      lane = { limits: deps.limitsOf(name), waiting: [], running: 0, averageMs: undefined };
      lanes.set(name, lane);
    }
    return lane;
  };

  /** Seconds until a place is likely to free up: the queue ahead drains `concurrency` at a time. */
  const retryAfter = (lane: Lane): number => {
    const rounds = Math.floor(lane.waiting.length / lane.limits.concurrency) + 1;
    const seconds = Math.ceil(((lane.averageMs ?? UNKNOWN_RUN_MS) * rounds) / 1000);
    return Math.min(Math.max(seconds, 1), MAX_RETRY_AFTER_S);
  };

  const assertRoom = (name: string): void => {
    const lane = laneOf(name);
    if (lane.waiting.length >= lane.limits.bound) {
      throw errors.overloaded(`the task queue of plugin '${name}' (${lane.waiting.length} waiting, ${lane.running} running)`, retryAfter(lane));
    }
  };

  const pump = (name: string): void => {
    const lane = laneOf(name);
    while (worker && !paused && lane.running < lane.limits.concurrency && lane.waiting.length > 0) {
      const task = lane.waiting.shift()!;
      const started = performance.now();
      lane.running += 1;
      const run = worker(task)
        .catch(() => {}) // the worker records its own failures; the lane must go on
        .finally(() => {
          const ms = performance.now() - started;
          lane.averageMs = lane.averageMs === undefined ? ms : 0.7 * lane.averageMs + 0.3 * ms;
          lane.running -= 1;
          running.delete(run);
          pump(name);
        });
      running.add(run);
    }
  };

  return {
    shared: false,
    assertRoom,
    async enqueue(task, options = {}) {
      if (!options.force) assertRoom(task.lane);
      const { waiting } = laneOf(task.lane);
      const rank = task.priority ?? PRIORITY.user;
      const behind = waiting.findIndex((t) => (t.priority ?? PRIORITY.user) > rank);
      waiting.splice(behind < 0 ? waiting.length : behind, 0, task);
      pump(task.lane);
    },
    async remove(id) {
      for (const lane of lanes.values()) {
        const index = lane.waiting.findIndex((t) => t.id === id);
        if (index >= 0) {
          lane.waiting.splice(index, 1);
          return true;
        }
      }
      return false;
    },
    async cancel() {}, // the runner in this process aborts its own tasks
    start(next) {
      worker = next;
      paused = false;
      for (const name of lanes.keys()) pump(name);
    },
    pause() {
      paused = true;
    },
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}
