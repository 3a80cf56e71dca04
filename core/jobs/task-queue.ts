// The queue between "accepted" and "running". Only task ids travel through it; the task
// itself lives in the task store. That keeps the contract small enough for a Redis-backed
// queue (BullMQ) feeding separate worker processes to replace the in-process one without
// any change to plugins or to the HTTP side.

export interface QueuedTask {
  readonly id: string;
  /** Tasks share limits per lane; the lane is the plugin name. */
  readonly lane: string;
  /** Lower runs first within its lane (FIFO among equals); see PRIORITY. */
  readonly priority?: number;
}

/** Tasks of admin keys overtake those of user keys waiting in the same lane. */
export const PRIORITY = { admin: 1, user: 2 } as const;

/** Runs the task. Rejects when the task was cut short and must be settled again (a shutdown). */
export type TaskWorker = (task: QueuedTask) => Promise<void>;

/** What a queue shared between processes needs beyond `run`. */
export interface TaskQueueHandlers {
  /** Aborts the task if it runs in this process (a cancel that came through the queue). */
  readonly abort?: (id: string) => void;
  /** The queue gave up on the task (it stalled or failed too often): record it as failed. */
  readonly abandon?: (id: string, reason: string) => Promise<void>;
}

export interface LaneLimits {
  /** Tasks of the lane that run at once. */
  readonly concurrency: number;
  /** Tasks of the lane that may wait; 0 refuses any wait. */
  readonly bound: number;
}

export interface TaskQueue {
  /**
   * True when other processes share the queue (scale-out): a task `running` at boot may be
   * running elsewhere, so tasks interrupted by a dead process are settled when the queue
   * hands them out again (stalled jobs), never by boot recovery.
   */
  readonly shared: boolean;
  /**
   * Puts a task behind the others of its lane. Throws `errors.overloaded` (503 with
   * Retry-After) when the lane already holds its bound, unless `force` is set: tasks
   * resumed after a restart were accepted once and are never refused again.
   */
  enqueue(task: QueuedTask, options?: { readonly force?: boolean }): Promise<void>;
  /** Throws like `enqueue` would, without enqueuing: lets a submission fail before its uploads are moved. */
  assertRoom(lane: string): void | Promise<void>;
  /** Takes a waiting task out; false when it is not waiting (running, finished or unknown). */
  remove(id: string, lane?: string): Promise<boolean>;
  /** Tells the process running the task to abort it; a queue without other processes has none to tell. */
  cancel(id: string): Promise<void>;
  /** Starts handing tasks to the worker. */
  start(worker: TaskWorker, handlers?: TaskQueueHandlers): void;
  /** Stops starting tasks; those already running go on. */
  pause(): void;
  /** Resolves once no task is running. */
  idle(): Promise<void>;
}
