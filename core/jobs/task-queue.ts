// The queue between "accepted" and "running". Only task ids travel through it; the task
// itself lives in the task store. That keeps the contract small enough for a Redis-backed
// queue (BullMQ) feeding separate worker processes to replace the in-process one without
// any change to plugins or to the HTTP side.

export interface QueuedTask {
  readonly id: string;
  /** Tasks share limits per lane; the lane is the plugin name. */
  readonly lane: string;
}

export type TaskWorker = (task: QueuedTask) => Promise<void>;

export interface LaneLimits {
  /** Tasks of the lane that run at once. */
  readonly concurrency: number;
  /** Tasks of the lane that may wait; 0 refuses any wait. */
  readonly bound: number;
}

export interface TaskQueue {
  /**
   * Puts a task behind the others of its lane. Throws `errors.overloaded` (503 with
   * Retry-After) when the lane already holds its bound, unless `force` is set: tasks
   * resumed after a restart were accepted once and are never refused again.
   */
  enqueue(task: QueuedTask, options?: { readonly force?: boolean }): Promise<void>;
  /** Throws like `enqueue` would, without enqueuing: lets a submission fail before its uploads are moved. */
  assertRoom(lane: string): void;
  /** Takes a waiting task out; false when it is not waiting (running, finished or unknown). */
  remove(id: string): Promise<boolean>;
  /** Starts handing tasks to the worker. */
  start(worker: TaskWorker): void;
  /** Stops starting tasks; those already running go on. */
  pause(): void;
  /** Resolves once no task is running. */
  idle(): Promise<void>;
}
