// Turns a handler's `ctx.progress(fraction, message, stage)` calls into progress events
// and database writes, each throttled on its own clock: a sampling loop may report
// thousands of times a second, but subscribers need a few messages a second and the
// database one write a second. The latest state is never dropped: a trailing timer sends
// or writes it once the interval has passed. A new stage is always sent at once.
import type { ProgressFn } from '../plugin/context.ts';
import type { ProgressBus } from './progress-bus.ts';
import type { TaskStore } from './task-store.ts';
import type { ProgressEvent } from './types.ts';

const MAX_MESSAGE = 500;
const MAX_STAGE = 64;

export interface ProgressReporter {
  /** A handler's ctx.progress; system tasks add structured details. */
  readonly report: ProgressFn & ((fraction: number, message?: string, stage?: string, details?: ProgressEvent['details']) => void);
  /** The latest reported state (for the final event). */
  current(): ProgressEvent;
  /** Stops the trailing timers; nothing is sent after this. */
  close(): void;
}

export function makeProgressReporter(deps: {
  taskId: string;
  bus: ProgressBus;
  store: TaskStore;
  intervalMs: number;
  persistIntervalMs: number;
}): ProgressReporter {
  let state: ProgressEvent = { task_id: deps.taskId, status: 'running', progress: 0, stage: 'running', message: '' };
  let sentAt = -Infinity;
  let persistedAt = -Infinity;
  let sendTimer: NodeJS.Timeout | undefined;
  let persistTimer: NodeJS.Timeout | undefined;
  let closed = false;

  const send = () => {
    sendTimer = undefined;
    sentAt = performance.now();
    deps.bus.publish(state);
  };
  const persist = () => {
    persistTimer = undefined;
    persistedAt = performance.now();
    deps.store.saveProgress(deps.taskId, state.progress, state.stage, state.message);
  };
  const later = (timer: NodeJS.Timeout | undefined, run: () => void, wait: number) => timer ?? setTimeout(run, wait).unref();

  deps.bus.publish(state);

  return {
    report(fraction: number, message?: string, stage?: string, details?: ProgressEvent['details']) {
      if (closed || typeof fraction !== 'number' || Number.isNaN(fraction)) return;
      const nextStage = stage === undefined ? state.stage : String(stage).slice(0, MAX_STAGE);
      const stageChanged = nextStage !== state.stage;
      state = {
        ...state,
        progress: Math.min(Math.max(fraction, 0), 1),
        stage: nextStage,
        message: message === undefined ? state.message : String(message).slice(0, MAX_MESSAGE),
        ...(details === undefined ? {} : { details }),
      };
      const now = performance.now();
      if (stageChanged || now - sentAt >= deps.intervalMs) {
        clearTimeout(sendTimer);
        send();
      } else {
        sendTimer = later(sendTimer, send, deps.intervalMs - (now - sentAt));
      }
      if (now - persistedAt >= deps.persistIntervalMs) {
        clearTimeout(persistTimer);
        persist();
      } else {
        persistTimer = later(persistTimer, persist, deps.persistIntervalMs - (now - persistedAt));
      }
    },
    current: () => state,
    close() {
      closed = true;
      clearTimeout(sendTimer);
      clearTimeout(persistTimer);
    },
  };
}
