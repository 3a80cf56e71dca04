// The shapes the jobs module shares between its store, runner, channels and surface.

export const TASK_STATUSES = ['queued', 'running', 'done', 'error', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const FINISHED: ReadonlySet<TaskStatus> = new Set(['done', 'error', 'cancelled']);

export interface TaskError {
  /** The HTTP status the synchronous call would have answered. */
  readonly status: number;
  readonly code: string;
  readonly detail: string;
}

export interface TaskResult {
  readonly contentType: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly bytes: number;
}

export interface TaskRecord {
  readonly id: string;
  /** Key id of the principal that submitted it. */
  readonly owner: string;
  readonly plugin: string;
  readonly method: string;
  /** Declared route path, relative to /api (e.g. `/tts/espeak`). */
  readonly path: string;
  /** Validated fields plus `files`, whose paths point into the task's own folder. */
  readonly input: Record<string, unknown>;
  readonly format: string;
  readonly requestId: string;
  readonly status: TaskStatus;
  readonly progress: number;
  readonly stage: string;
  readonly message: string;
  readonly error: TaskError | undefined;
  readonly result: TaskResult | undefined;
  /** How many times a run was started (an idempotent task re-run after a restart counts twice). */
  readonly attempts: number;
  readonly createdAt: number;
  readonly startedAt: number | undefined;
  readonly finishedAt: number | undefined;
  readonly expiresAt: number | undefined;
}

/** One message on the progress channels (WebSocket and SSE carry the same JSON). */
export interface ProgressEvent {
  readonly task_id: string;
  readonly status: TaskStatus;
  readonly progress: number;
  readonly stage: string;
  readonly message: string;
  /** On the final `done` message. */
  readonly result_url?: string;
  /** On the final `error` message. */
  readonly error?: TaskError;
  /** Structured progress of system tasks (a download's bytes, total, rate and ETA). */
  readonly details?: Readonly<Record<string, number | string | null>>;
}

export function isFinal(event: Pick<ProgressEvent, 'status'>): boolean {
  return FINISHED.has(event.status);
}
