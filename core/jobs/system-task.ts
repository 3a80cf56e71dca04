// Work the hub itself runs as a task (weight downloads now; dubbing and voice creation
// later): the same queue, store, progress channels, cancel and restart recovery as a
// plugin route called asynchronously, with a handler from the core instead of a plugin.
// A kind's lane contains a colon, which no plugin name can (^[a-z][a-z0-9_-]*$), so a task
// record always says which of the two ran it.

export interface SystemTaskContext {
  readonly taskId: string;
  readonly signal: AbortSignal;
  /** Like a handler's ctx.progress, with structured details (bytes, rate, ...) for the channels. */
  progress(fraction: number, message?: string, stage?: string, details?: ProgressDetails): void;
}

export type ProgressDetails = Readonly<Record<string, number | string | null>>;

export interface SystemTaskKind {
  /** Queue lane and the task's `plugin` field, e.g. `hub:weights`. */
  readonly lane: string;
  /** The route that submits it, relative to /api (shown as the task's route). */
  readonly path: string;
  /** Whether a run cut short by a restart may run again (it resumes or repeats harmlessly). */
  readonly idempotent: boolean;
  run(input: Record<string, unknown>, ctx: SystemTaskContext): Promise<{ contentType: string; body: Uint8Array }>;
}

export interface SystemTasks {
  /** The queue lanes of the kinds (a scale-out worker consumes each). */
  readonly lanes: readonly string[];
  find(task: { plugin: string; method: string; path: string }): SystemTaskKind | undefined;
}

export function makeSystemTasks(kinds: readonly SystemTaskKind[]): SystemTasks {
  return { lanes: kinds.map((k) => k.lane), find: (task) => kinds.find((k) => k.lane === task.plugin && task.method === 'POST' && k.path === task.path) };
}
