// Admission for one graph: at most `slots` runs at once (one per loaded copy of the
// session), a bounded line of waiters, and a deadline per waiter. A full line or a passed
// deadline is answered at once with 503 + Retry-After instead of letting requests pile up.
//
// Batching seam: a batching scheduler would sit here, taking the waiters whose feeds share
// every non-batch dim, concatenating them along the graph's batch axis into one task, and
// splitting the outputs back; callers of `run` would not change.
import { errors } from '../errors.ts';

export interface GraphQueue {
  /** Runs `task` with a free slot index once one is free. */
  run<T>(task: (slot: number) => Promise<T>, signal?: AbortSignal): Promise<T>;
  readonly running: number;
  readonly queued: number;
  /** Mean duration of recent runs, used to suggest a Retry-After. */
  readonly meanMs: number | undefined;
  /** Fails every waiter (shutdown). */
  rejectWaiting(error: Error): void;
}

interface Waiter {
  start(slot: number): void;
  fail(error: Error): void;
}

export function makeGraphQueue(options: { label: string; slots: number; maxQueue: number; deadlineMs: number }): GraphQueue {
  const free = Array.from({ length: options.slots }, (_, i) => options.slots - 1 - i);
  const waiting: Waiter[] = [];
  let running = 0;
  let meanMs: number | undefined;

  const retryAfter = () => Math.max(1, Math.ceil((((waiting.length + running) / options.slots) * (meanMs ?? 1000)) / 1000));

  const release = (slot: number) => {
    running--;
    free.push(slot);
    const next = waiting.shift();
    if (next) next.start(free.pop()!);
  };

  return {
    run<T>(task: (slot: number) => Promise<T>, signal?: AbortSignal): Promise<T> {
      if (signal?.aborted) return Promise.reject(signal.reason);
      return new Promise<T>((resolve, reject) => {
        const begin = (slot: number) => {
          running++;
          const started = performance.now();
          task(slot)
            .then(resolve, reject)
            .finally(() => {
              const ms = performance.now() - started;
              meanMs = meanMs === undefined ? ms : meanMs * 0.8 + ms * 0.2;
              release(slot);
            });
        };
        if (free.length > 0) return begin(free.pop()!);
        if (waiting.length >= options.maxQueue) return reject(errors.overloaded(options.label, retryAfter()));

        const leave = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          const at = waiting.indexOf(waiter);
          if (at >= 0) waiting.splice(at, 1);
        };
        const onAbort = () => {
          leave();
          reject(signal!.reason);
        };
        const waiter: Waiter = {
          start(slot) {
            leave();
            begin(slot);
          },
          fail(error) {
            leave();
            reject(error);
          },
        };
        const timer = setTimeout(() => waiter.fail(errors.overloaded(options.label, retryAfter())), options.deadlineMs);
        timer.unref();
        signal?.addEventListener('abort', onAbort, { once: true });
        waiting.push(waiter);
      });
    },
    get running() {
      return running;
    },
    get queued() {
      return waiting.length;
    },
    get meanMs() {
      return meanMs;
    },
    rejectWaiting(error) {
      for (const waiter of [...waiting]) waiter.fail(error);
    },
  };
}
